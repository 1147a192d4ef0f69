using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>
/// Block power (subspace) iteration, batched over samples: starting rows V [B, r, HW], then per iteration
/// Q = orth(X Vᵀ) (QR of a small N × r matrix) and V = Qᵀ X. Two passes over X per iteration, as matrix-matrix
/// products, instead of Algorithm 1's r sequential passes. The result U = Q, V = QᵀX is the best rank-r
/// approximation within span(Q), so U·V + residual = X whatever Q is.
/// </summary>
internal static class BlockPowerSvd
{
    public static (Tensor U, Tensor V, Tensor Residual) Run(Tensor x, int rank, LowRankSplitOptions options)
    {
        Tensor v = StartingRows.ForBlock(x, rank, options);
        Tensor q = null!;
        for (int it = 0; it < options.MaxIterations; it++)
        {
            Tensor y = x.bmm(v.transpose(1, 2));          // [B, N, r]
            q = linalg.qr(y).Q;                           // orthonormal columns, [B, N, r]
            v = q.transpose(1, 2).bmm(x);                 // [B, r, HW]
        }
        Tensor residual = LowRankSplit.SubtractProduct(x, q, v);
        return (q, v, residual);
    }
}
