namespace AsymML.Privacy.Frontier;

/// <summary>The frontier: references, one row per setting, and which settings meet both targets.</summary>
/// <param name="Model">The network.</param>
/// <param name="Options">The budget.</param>
/// <param name="UntrustedOnly">The untrusted-only reference (no privacy).</param>
/// <param name="TeeOnly">The TEE-only reference (the time unit).</param>
/// <param name="Rows">One row per setting.</param>
/// <param name="Private">Settings whose attack SSIM is within the margin of the noise baseline and whose accuracy is
/// within the margin of untrusted-only.</param>
/// <param name="Seconds">Wall time of the study.</param>
public sealed record FrontierReport(string Model, FrontierOptions Options, FrontierRow UntrustedOnly, FrontierRow TeeOnly,
    IReadOnlyList<FrontierRow> Rows, IReadOnlyList<string> Private, double Seconds)
{
    /// <summary>Accuracy within the margin of untrusted-only.</summary>
    public bool Accurate(FrontierRow row) => row.TestAccuracy >= UntrustedOnly.TestAccuracy - Options.AccuracyMargin;
}
