namespace AsymML.DifferentialPrivacy;

/// <summary>Log-space arithmetic and log Γ for the accountants.</summary>
internal static class LogMath
{
    /// <summary>log(eˣ + eʸ).</summary>
    public static double Add(double x, double y)
    {
        (double a, double b) = x < y ? (x, y) : (y, x);
        if (double.IsNegativeInfinity(a)) return b;
        return b + Log1P(Math.Exp(a - b));
    }

    /// <summary>log(eˣ − eʸ) for x ≥ y (−∞ when equal).</summary>
    public static double Subtract(double x, double y)
    {
        if (double.IsNegativeInfinity(y)) return x;
        if (x < y) throw new ArithmeticException($"log-space subtraction would be negative: log(e^{x} − e^{y}).");
        if (x == y) return double.NegativeInfinity;
        return x + Math.Log(-ExpM1(y - x));
    }

    /// <summary>log(1 + x), accurate for tiny x (Goldberg's correction; .NET's LogP1 is log(1 + x) as written).</summary>
    public static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>eˣ − 1, accurate for tiny x (Kahan's correction).</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) < 1e-5) return x + x * x / 2 + x * x * x / 6;
        double u = Math.Exp(x);
        if (u == 1) return x;
        if (u - 1 == -1) return -1;
        return (u - 1) * x / Math.Log(u);
    }

    /// <summary>log Γ(x) for x &gt; 0 (Lanczos, g = 7, 9 terms; relative error ≈ 1e-15).</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "log Γ is taken of positive numbers here.");
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        double sum = Lanczos[0];
        for (int i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
}
