namespace AsymML.Privacy.Estimators;

/// <summary>An LNC estimate in its parts (nats).</summary>
/// <param name="Base">The KSG estimator-2 term.</param>
/// <param name="Correction">The mean local non-uniformity correction added to it (≥ 0).</param>
/// <param name="CorrectedShare">Share of samples whose term was corrected (V̄/V &lt; α).</param>
public sealed record LncParts(double Base, double Correction, double CorrectedShare)
{
    /// <summary>Base + correction: the LNC estimate.</summary>
    public double Total => Base + Correction;
}
