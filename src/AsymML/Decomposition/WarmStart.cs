namespace AsymML.Decomposition;

/// <summary>Where the iterative methods take their starting right factors <c>v</c> from when no
/// <see cref="LowRankSplitOptions.InitialV"/> is given (or for components it does not cover).</summary>
public enum WarmStart
{
    /// <summary>The row (channel) of largest norm of the current, deflated matrix. It cannot be a dead (all-zero)
    /// channel while energy is left, and it keeps 0.990 of the exact energy on the worst Fashion-MNIST image where
    /// the first-channels start keeps 0.962 (docs/decomposition.md).</summary>
    LargestNormRow,

    /// <summary>Channel i of the deflated matrix for component i, as the paper's authors do. A dead channel falls
    /// back to the largest-norm row.</summary>
    FirstChannels,
}
