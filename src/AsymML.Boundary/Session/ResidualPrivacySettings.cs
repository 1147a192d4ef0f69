namespace AsymML.Boundary.Session;

/// <summary>
/// The Gaussian mechanism on every residual X^U that leaves the enclave: per sample b and split layer l, X^U_b is
/// clipped to L2 norm C_l (scaled by min(1, C_l/‖X^U_b‖₂)) and N(0, (σ·C_l)²·I) is added, drawn from the enclave's
/// cryptographic generator. Replacing one image by any other moves its clipped residual by at most 2·C_l, so each
/// release is a Gaussian mechanism of noise multiplier σ/2 with respect to that image (replace-one neighbours); the
/// enclave composes every release of each image (every split layer, every step that image is in, training and
/// inference) in Rényi DP and reports the worst image's (ε, δ). What this covers and what it does not:
/// docs/privacy-defences.md. The noise is not compensated: the merged convolution is no longer exact. Immutable.
/// </summary>
/// <param name="NoiseMultiplier">σ: noise std / clipping norm (&gt; 0).</param>
/// <param name="ClipNorm">C for every split layer; null calibrates C_l per layer from the first batch the layer
/// sees inside the enclave (the <paramref name="ClipQuantile"/> quantile of its per-sample residual norms), then
/// keeps it.</param>
/// <param name="ClipQuantile">Quantile of per-sample residual norms that sets C_l when <paramref name="ClipNorm"/>
/// is null, in (0, 1].</param>
/// <param name="Delta">δ of the reported guarantee, in (0, 1).</param>
public sealed record ResidualPrivacySettings(double NoiseMultiplier, double? ClipNorm = null, double ClipQuantile = 0.5, double Delta = 1e-5)
{
    /// <summary>Every problem with these values, in words (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!(NoiseMultiplier > 0) || double.IsInfinity(NoiseMultiplier))
            problems.Add($"the noise multiplier σ must be a finite number > 0, not {NoiseMultiplier}");
        if (ClipNorm is double c && (!(c > 0) || double.IsInfinity(c)))
            problems.Add($"the clipping norm C must be a finite number > 0, not {c}");
        if (!(ClipQuantile > 0 && ClipQuantile <= 1))
            problems.Add($"the clipping quantile must be in (0, 1], not {ClipQuantile}");
        if (!(Delta > 0 && Delta < 1))
            problems.Add($"δ must be in (0, 1), not {Delta}");
        return problems;
    }

    /// <summary>Throws, naming every problem, unless the values are valid.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        IReadOnlyList<string> problems = Problems();
        if (problems.Count > 0)
            throw new ArgumentException($"Residual privacy settings: {string.Join("; ", problems)}.");
    }

    /// <summary>Short form for logs and reports, e.g. <c>σ 1, C q0.5, δ 1e-05</c>.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"σ {NoiseMultiplier}, C {(ClipNorm is double c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"q{ClipQuantile}")}, δ {Delta}");
}
