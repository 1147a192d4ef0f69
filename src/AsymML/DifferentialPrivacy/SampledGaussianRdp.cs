namespace AsymML.DifferentialPrivacy;

/// <summary>
/// Rényi differential privacy of the sampled Gaussian mechanism (Mironov, Talwar, Zhang, "Rényi Differential Privacy
/// of the Sampled Gaussian Mechanism", 2019): a function of L2 sensitivity 1 applied to a Poisson sample of rate q,
/// plus N(0, z²). Its RDP at order α is log(A_α)/(α − 1) with A_α = E_{x∼μ0}[(μ(x)/μ0(x))^α], μ0 = N(0, z²),
/// μ = (1 − q)·μ0 + q·N(1, z²) (the add/remove-one neighbour relation). Integer α: the binomial expansion
/// A_α = Σ_k C(α, k) (1 − q)^(α−k) q^k e^((k² − k)/(2z²)) (section 3.3). Fractional α: the integral split at
/// x0 = z²·log(1/q − 1) + 1/2, where q·N(1, z²) = (1 − q)·N(0, z²), and each side expanded as a convergent series
/// with generalised binomial coefficients (section 3.3, the form TF-Privacy and Opacus compute). Everything is summed
/// in log space. q = 1 is the plain Gaussian mechanism, α/(2z²).
/// </summary>
public static class SampledGaussianRdp
{
    /// <summary>RDP at <paramref name="order"/> α &gt; 1 of one step with sampling rate <paramref name="q"/> ∈ [0, 1]
    /// and noise multiplier <paramref name="noiseMultiplier"/> z &gt; 0 (noise std / L2 sensitivity); +∞ for α = ∞.</summary>
    public static double Rdp(double q, double noiseMultiplier, double order)
    {
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "The sampling rate must be in [0, 1].");
        if (!(noiseMultiplier > 0) || double.IsInfinity(noiseMultiplier))
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "The noise multiplier must be a finite number > 0.");
        if (!(order > 1)) throw new ArgumentOutOfRangeException(nameof(order), order, "RDP orders must be > 1.");
        if (q == 0) return 0;
        if (q == 1) return order / (2 * noiseMultiplier * noiseMultiplier);
        if (double.IsPositiveInfinity(order)) return double.PositiveInfinity;
        double logA = order == Math.Floor(order) && order < int.MaxValue
            ? LogAInteger(q, noiseMultiplier, (int)order)
            : LogAFractional(q, noiseMultiplier, order);
        return logA / (order - 1);
    }

    /// <summary>RDP at each of <paramref name="orders"/> of <paramref name="steps"/> steps (RDP adds up under
    /// composition at a fixed order).</summary>
    public static double[] Rdp(double q, double noiseMultiplier, long steps, IReadOnlyList<double> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        return orders.Select(a => steps == 0 ? 0 : steps * Rdp(q, noiseMultiplier, a)).ToArray();
    }

    private static double LogAInteger(double q, double z, int alpha)
    {
        double logA = double.NegativeInfinity, logQ = Math.Log(q), log1MinusQ = LogMath.Log1P(-q);
        for (int k = 0; k <= alpha; k++)
        {
            double term = LogBinomial(alpha, k) + k * logQ + (alpha - k) * log1MinusQ + (k * (double)k - k) / (2 * z * z);
            logA = LogMath.Add(logA, term);
        }
        return logA;
    }

    private static double LogAFractional(double q, double z, double alpha)
    {
        double logQ = Math.Log(q), log1MinusQ = LogMath.Log1P(-q);
        double x0 = z * z * Math.Log(1 / q - 1) + 0.5;
        // A_α = Σ_i C(α, i)·[(1−q)^(α−i) q^i e^((i²−i)/(2z²)) Φ((x0 − i)/z) + q^(α−i) (1−q)^i e^((j²−j)/(2z²)) Φ((j − x0)/z)],
        // j = α − i; C(α, i) changes sign for i > α, so the two sums are kept as signed log-space accumulators.
        var below = new SignedLog();
        var above = new SignedLog();
        double logAbsCoefficient = 0; // log |C(α, 0)|, then C(α, i+1) = C(α, i)·(α − i)/(i + 1)
        int sign = 1;
        for (int i = 0; i < 100_000; i++)
        {
            double j = alpha - i;
            double s0 = logAbsCoefficient + i * logQ + j * log1MinusQ + (i * (double)i - i) / (2 * z * z)
                + Math.Log(0.5) + GaussianTail.LogErfc((i - x0) / (Math.Sqrt(2) * z));
            double s1 = logAbsCoefficient + j * logQ + i * log1MinusQ + (j * j - j) / (2 * z * z)
                + Math.Log(0.5) + GaussianTail.LogErfc((x0 - j) / (Math.Sqrt(2) * z));
            below.Add(sign, s0);
            above.Add(sign, s1);
            if (Math.Max(s0, s1) < -30 && i > alpha) break;
            double ratio = (alpha - i) / (i + 1);
            if (ratio < 0) sign = -sign;
            logAbsCoefficient += Math.Log(Math.Abs(ratio));
        }
        return LogMath.Add(below.Log, above.Log);
    }

    private static double LogBinomial(int n, int k) => LogMath.LogGamma(n + 1) - LogMath.LogGamma(k + 1) - LogMath.LogGamma(n - k + 1);

    /// <summary>A sum of signed terms kept in log space; the total must end up ≥ 0 (it is an integral of a density).</summary>
    private sealed class SignedLog
    {
        private double _positive = double.NegativeInfinity, _negative = double.NegativeInfinity;

        public void Add(int sign, double logTerm)
        {
            if (sign > 0) _positive = LogMath.Add(_positive, logTerm);
            else _negative = LogMath.Add(_negative, logTerm);
        }

        public double Log => LogMath.Subtract(_positive, _negative);
    }
}
