namespace AsymML.Privacy.Frontier;

/// <summary>The measurements of one setting (or reference) of the frontier.</summary>
/// <param name="Setting">The setting's text (or "untrusted-only", "TEE-only").</param>
/// <param name="Mode">Asym, TeeOnly or UntrustedOnly.</param>
/// <param name="TestAccuracy">Test accuracy after the fixed budget.</param>
/// <param name="EnclaveSeconds">Trusted-side compute over all training steps.</param>
/// <param name="TrustedTimeRatio">EnclaveSeconds / the TEE-only run's, measured in the same process.</param>
/// <param name="AttackLayer">The split layer where the host's best feature inversion was; null when nothing crosses.</param>
/// <param name="AttackSsim">That attack's SSIM on the private images (NaN when nothing crosses).</param>
/// <param name="AttackPsnr">Its PSNR (dB).</param>
/// <param name="NoiseSsim">The noise baseline at that layer (same decoder on Gaussian noise of the same shape).</param>
/// <param name="UnprotectedSsim">The unprotected baseline at that layer (the decoder on X itself).</param>
/// <param name="MeanImageSsim">The mean public image as the guess.</param>
/// <param name="Epsilon">The enclave's ε for the run (worst image) when the Gaussian mechanism is on; NaN otherwise.</param>
/// <param name="Delta">δ of <paramref name="Epsilon"/> (NaN without the mechanism).</param>
/// <param name="Releases">Residual releases of the worst image.</param>
/// <param name="LayersAttacked">SSIM per attacked layer.</param>
/// <param name="TrainingFailure">Why the setting's training failed (its accuracy and time are then NaN); null when it ran.</param>
public sealed record FrontierRow(string Setting, string Mode, double TestAccuracy, double EnclaveSeconds, double TrustedTimeRatio,
    string? AttackLayer, double AttackSsim, double AttackPsnr, double NoiseSsim, double UnprotectedSsim, double MeanImageSsim,
    double Epsilon, double Delta, long Releases, IReadOnlyDictionary<string, double> LayersAttacked, string? TrainingFailure = null)
{
    /// <summary>Attack SSIM within <paramref name="margin"/> of the noise baseline (true when nothing crosses).</summary>
    public bool AttackFails(double margin) => AttackLayer is null || AttackSsim <= NoiseSsim + margin;
}
