namespace AsymML.Privacy.Estimators;

/// <summary>The paper's leakage figure for one image (nats).</summary>
/// <param name="Numerator">LNC(x, r): private element vs crossing element.</param>
/// <param name="Denominator">LNC(x, x) with independent jitters.</param>
/// <param name="Positions">Element positions used (samples of the 2-D distribution).</param>
public sealed record PaperImageLeakage(double Numerator, double Denominator, int Positions)
{
    /// <summary>Numerator / denominator: the relative leakage.</summary>
    public double Ratio => Numerator / Denominator;
}
