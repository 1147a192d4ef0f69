namespace AsymML.Privacy.Estimators;

/// <summary>
/// Paired samples with a known mutual information, for validating estimators. Seeded and reproducible
/// (<see cref="Random"/> with a seed uses a fixed algorithm).
/// </summary>
public static class SyntheticPairs
{
    /// <summary>
    /// X, Y ∈ ℝ^d with d independent pairs (x_j, y_j) of standard normals of correlation ρ:
    /// I(X; Y) = −½ · d · ln(1 − ρ²) nats.
    /// </summary>
    public static (SampleMatrix X, SampleMatrix Y, double TrueMi) CorrelatedGaussians(int n, int d, double rho, int seed)
    {
        if (!(Math.Abs(rho) < 1)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "|ρ| must be below 1.");
        var random = new Random(seed);
        var x = new double[n * d];
        var y = new double[n * d];
        double c = Math.Sqrt(1 - rho * rho);
        for (int i = 0; i < n * d; i++)
        {
            double a = Normal(random), b = Normal(random);
            x[i] = a;
            y[i] = rho * a + c * b;
        }
        return (new SampleMatrix(x, n, d), new SampleMatrix(y, n, d), GaussianMi(d, rho));
    }

    /// <summary>−½ · d · ln(1 − ρ²).</summary>
    public static double GaussianMi(int d, double rho) => -0.5 * d * Math.Log(1 - rho * rho);

    /// <summary>
    /// One-dimensional pairs with exact zeros, like ReLU activations: (A, B) correlated standard normals of
    /// correlation ρ, X = A·[S = 0], Y = B·[T = 0] with P(S = 1) = P(T = 1) = <paramref name="zeroShare"/>.
    /// <paramref name="sharedZeros"/>: T = S (the same samples are zero in both), so
    /// I = H(S) + (1 − p) · I_g; otherwise S, T independent of each other and of (A, B), so I = (1 − p)² · I_g,
    /// where I_g = −½ ln(1 − ρ²) (0 at ρ = 0: independent data with 70% ties when p = 0.7).
    /// </summary>
    public static (SampleMatrix X, SampleMatrix Y, double TrueMi) ZeroInflated(int n, double rho, double zeroShare, bool sharedZeros, int seed)
    {
        if (!(zeroShare >= 0 && zeroShare < 1)) throw new ArgumentOutOfRangeException(nameof(zeroShare), zeroShare, "The share of zeros must be in [0, 1).");
        var (a, b, ig) = CorrelatedGaussians(n, 1, rho, seed);
        var random = new Random(seed ^ 0x5bd1e995);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            bool s = random.NextDouble() < zeroShare;
            bool t = sharedZeros ? s : random.NextDouble() < zeroShare;
            x[i] = s ? 0 : a[i, 0];
            y[i] = t ? 0 : b[i, 0];
        }
        double p = zeroShare;
        double entropy = p is 0 ? 0 : -(p * Math.Log(p) + (1 - p) * Math.Log(1 - p));
        double truth = sharedZeros ? entropy + (1 - p) * ig : (1 - p) * (1 - p) * ig;
        return (SampleMatrix.Column(x), SampleMatrix.Column(y), truth);
    }

    /// <summary>A standard normal by Box–Muller.</summary>
    internal static double Normal(Random random)
    {
        double u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
