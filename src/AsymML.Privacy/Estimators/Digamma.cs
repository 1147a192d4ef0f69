namespace AsymML.Privacy.Estimators;

/// <summary>The digamma function ψ = Γ′/Γ, which k-NN estimators apply to neighbour counts.</summary>
public static class Digamma
{
    /// <summary>Euler–Mascheroni constant γ = −ψ(1).</summary>
    public const double EulerGamma = 0.57721566490153286061;

    /// <summary>ψ(n) for an integer n ≥ 1: −γ + Σ_{j&lt;n} 1/j (exact up to rounding), by the asymptotic series
    /// beyond 64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">n &lt; 1 (ψ has poles at 0, −1, …).</exception>
    public static double Of(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "ψ(n) is defined here for n ≥ 1.");
        if (n > 64) return Of((double)n);
        double sum = -EulerGamma;
        for (int j = 1; j < n; j++) sum += 1.0 / j;
        return sum;
    }

    /// <summary>ψ(x) for real x &gt; 0: recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic series
    /// ln x − 1/(2x) − Σ B_2k/(2k x^2k) to x^−10 (the first omitted term is below 3e−14 there).</summary>
    public static double Of(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "ψ(x) is defined here for x > 0.");
        double result = 0;
        while (x < 10)
        {
            result -= 1 / x;
            x += 1;
        }
        double inv = 1 / x, inv2 = inv * inv;
        result += Math.Log(x) - 0.5 * inv
            - inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))));
        return result;
    }
}
