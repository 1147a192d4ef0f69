using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>Settings of one low-rank split. Validated by <see cref="LowRankSplit.Split"/>.</summary>
public sealed record LowRankSplitOptions
{
    /// <summary>Requested rank r ≥ 1 (principal channels kept in the TEE). Capped at min(N, H·W).</summary>
    public required int Rank { get; init; }

    /// <summary>Algorithm. Default <see cref="SplitMethod.Blocked"/>: fastest of the three while keeping at least
    /// as much energy as Algorithm 1 (measured in docs/decomposition.md).</summary>
    public SplitMethod Method { get; init; } = SplitMethod.Blocked;

    /// <summary>Alternating (Lightweight) or power (Blocked) iterations per component; the paper uses 1–2.
    /// Ignored by <see cref="SplitMethod.Exact"/>. Default 2.</summary>
    public int MaxIterations { get; init; } = 2;

    /// <summary>Extra directions p the blocked method iterates on before keeping the best r (capped at
    /// min(N, H·W) − r). Null (default) means p = 2r, the least that kept at least Algorithm 1's energy on
    /// Fashion-MNIST patch matrices for k up to 11 (docs/decomposition.md). Ignored by the other methods.</summary>
    public int? Oversampling { get; init; }

    /// <summary>Floor on the squared norms that Algorithm 1 divides by (‖v‖², ‖u‖²), so an exhausted matrix
    /// gives a zero component instead of NaN. Default 1e-20: far below any float32 signal that matters.</summary>
    public double Epsilon { get; init; } = 1e-20;

    /// <summary>Starting rows when <see cref="InitialV"/> does not give them. Default largest-norm row.</summary>
    public WarmStart Start { get; init; } = WarmStart.LargestNormRow;

    /// <summary>Optional warm start: right factors <c>[B or 1, r0, H·W]</c>, e.g. the previous batch's
    /// <see cref="LowRankFactors.V"/>. Rows beyond r0 come from <see cref="Start"/>; all-zero rows (dead channels)
    /// are replaced by the largest-norm row. Not disposed by the split.</summary>
    public Tensor? InitialV { get; init; }
}
