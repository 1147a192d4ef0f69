using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>
/// The paper's Algorithm 1, batched over samples: for each of r components, alternate
/// u = X v / ‖v‖², v = Xᵀ u / ‖u‖² for maxIter iterations, then deflate X −= u vᵀ. O(r·N·HW) per sample.
/// Unlike the authors' code it starts from the largest-norm row by default and never keeps a zero component
/// while energy is left (a dead starting channel or a warm start orthogonal to what is left is replaced).
/// </summary>
internal static class LightweightSvd
{
    public static (Tensor U, Tensor V, Tensor Residual) Run(Tensor x, int rank, LowRankSplitOptions options)
    {
        long b = x.shape[0], n = x.shape[1], hw = x.shape[2];
        Tensor work = x.clone(); // deflated in place; becomes the residual
        Tensor u = zeros(b, n, rank, dtype: x.dtype);
        Tensor v = zeros(b, rank, hw, dtype: x.dtype);
        double eps = options.Epsilon;
        for (int i = 0; i < rank; i++)
        {
            using var step = NewDisposeScope();
            Tensor vi = StartingRows.ForComponent(work, i, options);
            Tensor ui = LeftUpdate(work, vi, eps);
            // A start with nothing of the remaining matrix in it (zero, or orthogonal to it) would give u = 0:
            // restart those samples from the largest-norm row.
            Tensor dead = ui.square().sum(1) == 0;
            if (dead.any().item<bool>())
            {
                vi = where(dead.unsqueeze(1), StartingRows.LargestNorm(work, 1).squeeze(1), vi);
                ui = LeftUpdate(work, vi, eps);
            }
            vi = RightUpdate(work, ui, eps);
            for (int it = 1; it < options.MaxIterations; it++)
            {
                ui = LeftUpdate(work, vi, eps);
                vi = RightUpdate(work, ui, eps);
            }
            u.select(2, i).copy_(ui);
            v.select(1, i).copy_(vi);
            work.addcmul_(ui.unsqueeze(2), vi.unsqueeze(1), -1); // in place, no B×N×HW temporary
        }
        return (u, v, work);
    }

    // u = X v / max(‖v‖², ε): [B, N]
    private static Tensor LeftUpdate(Tensor x, Tensor v, double eps) =>
        x.bmm(v.unsqueeze(2)).squeeze(2).div_(v.square().sum(1, keepdim: true).clamp_min(eps));

    // v = Xᵀ u / max(‖u‖², ε): [B, HW]
    private static Tensor RightUpdate(Tensor x, Tensor u, double eps) =>
        u.unsqueeze(1).bmm(x).squeeze(1).div_(u.square().sum(1, keepdim: true).clamp_min(eps));
}
