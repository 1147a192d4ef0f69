namespace AsymML.DifferentialPrivacy;

/// <summary>
/// The exact (ε, δ) curve of composed Gaussian mechanisms without subsampling. k mechanisms with noise multipliers
/// z_i compose exactly to one Gaussian mechanism with μ = sqrt(Σ 1/z_i²) (μ-Gaussian DP, Dong, Roth, Su 2019), whose
/// privacy profile is δ(ε) = Φ(−ε/μ + μ/2) − e^ε·Φ(−ε/μ − μ/2) (Balle and Wang 2018, Theorem 8). This is tight, so it is
/// a check on (and never above) the RDP figure for the same mechanisms.
/// </summary>
public static class GaussianDp
{
    /// <summary>μ of <paramref name="count"/> Gaussian mechanisms of noise multiplier <paramref name="noiseMultiplier"/>.</summary>
    public static double Mu(double noiseMultiplier, long count)
    {
        if (!(noiseMultiplier > 0)) throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "The noise multiplier must be > 0.");
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Math.Sqrt(count) / noiseMultiplier;
    }

    /// <summary>δ(ε) of a μ-GDP mechanism.</summary>
    public static double Delta(double mu, double epsilon)
    {
        if (mu == 0) return 0;
        // e^ε·Φ(−ε/μ − μ/2) in log space: for large ε the factor overflows while the product stays small.
        double first = GaussianTail.NormalCdf(-epsilon / mu + mu / 2);
        double second = Math.Exp(epsilon + GaussianTail.LogNormalCdf(-epsilon / mu - mu / 2));
        return Math.Max(0, first - second);
    }

    /// <summary>The smallest ε ≥ 0 with δ(ε) ≤ <paramref name="delta"/> for a μ-GDP mechanism (bisection to 1e-10).</summary>
    public static double Epsilon(double mu, double delta)
    {
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1).");
        if (!(mu >= 0) || double.IsInfinity(mu)) throw new ArgumentOutOfRangeException(nameof(mu), mu, "μ must be a finite number ≥ 0.");
        if (Delta(mu, 0) <= delta) return 0;
        double low = 0, high = 1;
        while (Delta(mu, high) > delta) high *= 2;
        for (int i = 0; i < 200 && high - low > 1e-10 * Math.Max(1, high); i++)
        {
            double mid = (low + high) / 2;
            if (Delta(mu, mid) > delta) low = mid; else high = mid;
        }
        return high;
    }
}
