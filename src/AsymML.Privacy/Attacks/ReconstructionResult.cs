namespace AsymML.Privacy.Attacks;

/// <summary>An image-reconstruction attack's result (feature or gradient inversion): scores of the reconstructions
/// of private images from the host's real view, from the unprotected tensors, from noise, and of the mean public image
/// used as the guess for every image.</summary>
/// <param name="Attack">The attack's name.</param>
/// <param name="Target">Layer path or gradient setting attacked.</param>
/// <param name="NoiseRatio">nsr of the run.</param>
/// <param name="Seconds">Wall-clock time of attack and baselines.</param>
/// <param name="HostView">Reconstructions from what the host really received.</param>
/// <param name="Unprotected">Reconstructions from the unprotected tensors (upper bound).</param>
/// <param name="Noise">Reconstructions from noise of the same shape (lower bound).</param>
/// <param name="MeanImage">The mean public training image as the guess for every private image.</param>
public sealed record ReconstructionResult(string Attack, string Target, double NoiseRatio, double Seconds,
    ReconstructionScore HostView, ReconstructionScore Unprotected, ReconstructionScore Noise, ReconstructionScore MeanImage)
    : AttackResult(Attack, Target, NoiseRatio, Seconds)
{
    /// <inheritdoc />
    public override string Metric => "ssim";

    /// <summary>Mean SSIM of the reconstructions from the host's view.</summary>
    public double Ssim => HostView.Ssim;

    /// <summary>Mean PSNR (dB) of the reconstructions from the host's view.</summary>
    public double Psnr => HostView.Psnr;

    /// <summary>The SSIM an attacker reaches without any view: the better of the noise baseline and the mean image.</summary>
    public double BaselineSsim => Math.Max(Noise.Ssim, MeanImage.Ssim);

    /// <inheritdoc />
    public override double Figure => HostView.Ssim;

    /// <inheritdoc />
    public override double UpperBound => Unprotected.Ssim;

    /// <inheritdoc />
    public override double LowerBound => BaselineSsim;
}
