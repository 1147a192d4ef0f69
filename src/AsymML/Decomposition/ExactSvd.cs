using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>The optimum of Eq. 6 from <c>torch.linalg.svd</c>: U = U_r·diag(s_r), V = V_rᵀ.</summary>
internal static class ExactSvd
{
    public static (Tensor U, Tensor V, Tensor Residual) Run(Tensor x, int rank)
    {
        var (u, s, vh) = linalg.svd(x, fullMatrices: false);
        Tensor left = u.narrow(2, 0, rank) * s.narrow(1, 0, rank).unsqueeze(1);
        Tensor right = vh.narrow(1, 0, rank).contiguous();
        Tensor residual = LowRankSplit.SubtractProduct(x, left, right);
        return (left.contiguous(), right, residual);
    }
}
