namespace AsymML.Privacy.Estimators;

/// <summary>The paper's leakage figure over several images.</summary>
/// <param name="Images">Each image's figure.</param>
/// <param name="Interval">Mean of the per-image ratios with its half-sampling interval over images.</param>
public sealed record PaperLeakageResult(IReadOnlyList<PaperImageLeakage> Images, ResamplingInterval Interval)
{
    /// <summary>Mean per-image ratio I(X; R) / I(X; X).</summary>
    public double RelativeLeakage => Interval.Estimate;

    /// <summary>Mean numerator (nats).</summary>
    public double MeanNumerator => Images.Average(i => i.Numerator);

    /// <summary>Mean denominator (nats).</summary>
    public double MeanDenominator => Images.Average(i => i.Denominator);
}
