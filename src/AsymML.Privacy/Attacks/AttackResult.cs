namespace AsymML.Privacy.Attacks;

/// <summary>
/// What one attack found, with its baselines measured in the same run: <see cref="Figure"/> on the host's real view
/// (from the transcript of the real executor), <see cref="UpperBound"/> the same attack on the unprotected
/// tensors (what the host would learn if nothing were hidden), <see cref="LowerBound"/> the same attack on pure noise
/// of the same shape (what it learns from nothing, i.e. from its public data alone). Higher = more leakage for every
/// figure. See <see cref="ReconstructionResult"/> (SSIM, PSNR) and <see cref="LabelLeakageResult"/> (accuracy).
/// </summary>
/// <param name="Attack">The attack's name, e.g. <c>feature-inversion</c>.</param>
/// <param name="Target">What was attacked: a layer path, or e.g. <c>gradients, batch 8</c>.</param>
/// <param name="NoiseRatio">nsr of the mask on the residuals in the run.</param>
/// <param name="Seconds">Wall-clock time of the attack and its baselines.</param>
public abstract record AttackResult(string Attack, string Target, double NoiseRatio, double Seconds)
{
    /// <summary>The name of the figure (<c>ssim</c>, <c>accuracy</c>).</summary>
    public abstract string Metric { get; }

    /// <summary>The attack's figure on the host's real view.</summary>
    public abstract double Figure { get; }

    /// <summary>The same attack on the unprotected tensors.</summary>
    public abstract double UpperBound { get; }

    /// <summary>The same attack on noise (or chance).</summary>
    public abstract double LowerBound { get; }

    /// <summary>Where the real view sits between the bounds: 0 = no better than noise, 1 = as good as unprotected
    /// (NaN when the bounds coincide).</summary>
    public double RelativeLeakage => UpperBound == LowerBound ? double.NaN : (Figure - LowerBound) / (UpperBound - LowerBound);
}
