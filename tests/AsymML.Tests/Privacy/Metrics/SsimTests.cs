using AsymML.Privacy.Metrics;

namespace AsymML.Tests.Privacy.Metrics;

/// <summary>SSIM against values computed independently by scikit-image 0.19 (<c>structural_similarity</c>, Gaussian
/// weights σ 1.5, population moments, data range 1) and a plain numpy implementation, which agree to 1e-12 (see
/// scripts/privacy/ssim-reference.py for the cases), and against closed forms.</summary>
public class SsimTests
{
    /// <summary>((a·i² + b·j + c·i·j) mod m) / (m − 1), as the reference script makes it.</summary>
    internal static double[,] Pattern(int h, int w, int a, int b, int c, int m)
    {
        var x = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                x[i, j] = ((a * i * i + b * j + c * i * j) % m) / (m - 1.0);
        return x;
    }

    internal static double[,] Distorted(double[,] x)
    {
        int h = x.GetLength(0), w = x.GetLength(1);
        var y = new double[h, w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                y[i, j] = Math.Clamp(0.8 * x[i, j] + 0.1 + 0.05 * ((13 * i + 7 * j) % 5 - 2), 0, 1);
        return y;
    }

    internal static Tensor Image(double[,] x) => tensor(x.Cast<double>().ToArray(), [1, 1, x.GetLength(0), x.GetLength(1)], ScalarType.Float64);

    public static TheoryData<string, double> ReferenceCases => new()
    {
        { "distorted", 0.933058957338758 },
        { "other", 0.009037590621647 },
        { "inverse", -0.986067496507147 },
    };

    private static (double[,], double[,]) Case(string name) => name switch
    {
        "distorted" => (Pattern(16, 20, 3, 5, 1, 23), Distorted(Pattern(16, 20, 3, 5, 1, 23))),
        "other" => (Pattern(28, 28, 3, 5, 1, 23), Pattern(28, 28, 1, 2, 3, 11)),
        _ => (Pattern(12, 12, 2, 3, 1, 7), Invert(Pattern(12, 12, 2, 3, 1, 7))),
    };

    private static double[,] Invert(double[,] x)
    {
        var y = (double[,])x.Clone();
        for (int i = 0; i < y.GetLength(0); i++)
            for (int j = 0; j < y.GetLength(1); j++)
                y[i, j] = 1 - x[i, j];
        return y;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void MatchesScikitImage(string name, double expected)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Case(name);
        Assert.Equal(expected, Ssim.Mean(Image(x), Image(y)), 1e-9);
        Assert.Equal(expected, Ssim.Mean(Image(y), Image(x)), 1e-9); // symmetric
        Assert.Equal(expected, Ssim.Mean(Image(x).to(ScalarType.Float32), Image(y).to(ScalarType.Float32)), 1e-5);
    }

    [Fact]
    public void ConstantImagesFollowTheLuminanceTermAlone()
    {
        // No variance: SSIM = (2ab + C1) / (a² + b² + C1) with C1 = (0.01 L)², C2 cancels.
        using var scope = NewDisposeScope();
        const double a = 0.3, b = 0.7, c1 = 1e-4;
        Assert.Equal((2 * a * b + c1) / (a * a + b * b + c1), Ssim.Mean(full(1, 1, 11, 11, a, ScalarType.Float64), full(1, 1, 11, 11, b, ScalarType.Float64)), 1e-12);
    }

    [Fact]
    public void IdenticalImagesScoreOneAndTheBatchIsPerImage()
    {
        using var scope = NewDisposeScope();
        Tensor x = Image(Pattern(16, 20, 3, 5, 1, 23)), y = Image(Distorted(Pattern(16, 20, 3, 5, 1, 23)));
        Tensor values = Ssim.PerImage(cat([x, x], 0), cat([x, y], 0));
        Assert.Equal([2L], values.shape);
        Assert.Equal(1.0, values[0].ToDouble(), 1e-12);
        Assert.Equal(0.933058957338758, values[1].ToDouble(), 1e-9);
        // Channels are averaged: a two-channel image of (x, y) against (x, x) scores the mean of 1 and 0.933.
        Assert.Equal((1 + 0.933058957338758) / 2, Ssim.Mean(cat([x, x], 1), cat([x, y], 1)), 1e-9);
    }

    [Fact]
    public void TheWindowIsWangsGaussian()
    {
        using var scope = NewDisposeScope();
        Tensor w = Ssim.Window();
        Assert.Equal(new long[] { 1, 1, 11, 11 }, w.shape);
        Assert.Equal(1.0, w.sum().ToDouble(), 1e-12);
        // Ratio of the centre to a neighbour is exp(1 / (2·1.5²)).
        Assert.Equal(Math.Exp(1 / 4.5), w[0, 0, 5, 5].ToDouble() / w[0, 0, 5, 4].ToDouble(), 1e-12);
    }

    [Fact]
    public void RefusesWhatItCannotCompare()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("at least 11×11", Assert.Throws<ArgumentException>(() => Ssim.Mean(zeros(1, 1, 10, 28), zeros(1, 1, 10, 28))).Message);
        Assert.Contains("one shape", Assert.Throws<ArgumentException>(() => Ssim.Mean(zeros(1, 1, 12, 12), zeros(1, 1, 12, 13))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ssim.Mean(zeros(1, 1, 12, 12), zeros(1, 1, 12, 12), dataRange: 0));
    }
}
