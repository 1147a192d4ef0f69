using AsymML.Privacy.Estimators;
using Xunit.Abstractions;

namespace AsymML.Tests.Privacy.Estimators;

/// <summary>The paper's per-image protocol on synthetic images: a copy reads ≈ 100%, independent noise ≈ 0, a
/// noisy copy in between and decreasing with the noise; the denominator depends on the jitter.</summary>
public class PaperLeakageTests(ITestOutputHelper output)
{
    private static readonly PaperLeakageOptions Options = new() { K = 10, Alpha = 0.4, MaxElements = 1500 };

    private static float[] Image(int seed, int n = 1500)
    {
        var random = new Random(seed);
        // A ReLU-like image: 60% exact zeros, the rest positive.
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.6 ? 0f : (float)Math.Abs(SyntheticPairs.Normal(random))).ToArray();
    }

    [Fact]
    public void CopyReadsAllAndIndependentNoiseNothing()
    {
        float[] x = Image(1);
        var random = new Random(2);
        float[] noise = x.Select(_ => (float)SyntheticPairs.Normal(random)).ToArray();
        PaperImageLeakage copy = PaperLeakage.Image(x, x, Options, seed: 3);
        PaperImageLeakage independent = PaperLeakage.Image(x, noise, Options, seed: 3);
        output.WriteLine($"copy {copy.Ratio:P2} ({copy.Numerator:0.000}/{copy.Denominator:0.000}); noise {independent.Ratio:P2}");
        Assert.InRange(copy.Ratio, 0.97, 1.03);
        Assert.InRange(independent.Ratio, -0.02, 0.02);
    }

    [Fact]
    public void NoisierCrossingsReadLess()
    {
        float[] x = Image(4);
        double previous = double.PositiveInfinity;
        foreach (double sigma in new[] { 0.01, 0.1, 1.0 })
        {
            var random = new Random(5);
            float[] r = x.Select(v => v + (float)(sigma * SyntheticPairs.Normal(random))).ToArray();
            double ratio = PaperLeakage.Image(x, r, Options, seed: 6).Ratio;
            output.WriteLine($"σ = {sigma}: {ratio:P2}");
            Assert.True(ratio < previous, $"σ = {sigma} read {ratio}, not less than {previous}");
            previous = ratio;
        }
    }

    [Fact]
    public void TheDenominatorIsSetByTheJitter()
    {
        // I(X; X) is infinite; the estimate grows by about ln(10) per tenfold smaller jitter.
        float[] x = Image(7);
        double coarse = PaperLeakage.Image(x, x, Options with { Jitter = 1e-6 }, 8).Denominator;
        double fine = PaperLeakage.Image(x, x, Options with { Jitter = 1e-10 }, 8).Denominator;
        output.WriteLine($"I(X;X): jitter 1e-6 → {coarse:0.00}, 1e-10 → {fine:0.00} nats");
        Assert.InRange(fine - coarse, 2, 4 * Math.Log(10) * 1.2);
    }
}
