namespace AsymML.Decomposition;

/// <summary>How <see cref="LowRankSplit"/> finds the r principal components of each sample's N × HW matrix.</summary>
public enum SplitMethod
{
    /// <summary>The paper's Algorithm 1: greedy rank-1 deflation with alternating updates. Makes about
    /// 2·maxIter + 2 passes over X per component, so r·(2·maxIter + 2) in all.</summary>
    Lightweight,

    /// <summary>Block power (subspace) iteration: all r components together, 2 passes over X per iteration
    /// with matrix-matrix products, and a QR orthogonalisation of a small N × r matrix.</summary>
    Blocked,

    /// <summary><c>torch.linalg.svd</c>: the optimum of Eq. 6 (Eckart–Young). Costs O(N·HW·min(N, HW)).</summary>
    Exact,
}
