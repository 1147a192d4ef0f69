using AsymML.Boundary.Session;
using AsymML.Enclave;

namespace AsymML.Tests.Enclave;

/// <summary>The residual Gaussian mechanism's clipping and noise statistics, its CSPRNG, and its settings checks.</summary>
public class ResidualMechanismTests
{
    [Fact]
    public void ClipsEachSampleToTheNorm()
    {
        using var scope = NewDisposeScope();
        // Samples with norms from 0.1 to 1000: those above C = 5 come out at norm C (noise σ = 1e-6 is negligible), the rest unchanged.
        Tensor residual = randn(6, 4, 8, 8, generator: new Generator(1)) * tensor(new float[] { 0.01f, 0.1f, 0.3f, 1, 10, 100 }).view(6, 1, 1, 1);
        Tensor before = residual.clone();
        using var mechanism = new ResidualMechanism(new ResidualPrivacySettings(1e-6, ClipNorm: 5), seed: 3);
        Tensor released = mechanism.Apply("conv", residual);
        double[] inNorms = residual.flatten(1).norm(1).data<float>().Select(v => (double)v).ToArray();
        double[] outNorms = released.flatten(1).norm(1).data<float>().Select(v => (double)v).ToArray();
        for (int b = 0; b < 6; b++)
            Assert.Equal(Math.Min(inNorms[b], 5), outNorms[b], 1e-4 * Math.Max(1, outNorms[b]));
        Assert.True((residual == before).all().item<bool>(), "the residual itself is not changed");
        Assert.Equal(1, mechanism.TakeStepReleases());
        Assert.Equal(0, mechanism.StepReleases);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void NoiseHasStandardDeviationSigmaTimesC(double sigma)
    {
        using var scope = NewDisposeScope();
        // C far above every norm: nothing is clipped, so released − residual is the noise alone.
        Tensor residual = randn(16, 8, 16, 16, generator: new Generator(2));
        using var mechanism = new ResidualMechanism(new ResidualPrivacySettings(sigma, ClipNorm: 1000), seed: 4);
        Tensor noise = (mechanism.Apply("conv", residual) - residual).to(ScalarType.Float64);
        double std = noise.std().ToDouble(), mean = noise.mean().ToDouble();
        long n = noise.NumberOfElements; // 32768
        Assert.InRange(std / (sigma * 1000), 0.985, 1.015);                       // ±1.5% (sampling error of the std ≈ 0.4%)
        Assert.True(Math.Abs(mean) < 5 * sigma * 1000 / Math.Sqrt(n), $"mean {mean}");
        // Independent of the signal and across samples: correlation with the residual and between two samples ≈ 0.
        Assert.True(Math.Abs(Correlation(noise, residual.to(ScalarType.Float64))) < 0.03);
        Assert.True(Math.Abs(Correlation(noise[0], noise[1])) < 0.06);
    }

    [Fact]
    public void CalibratesTheNormFromTheFirstBatchAndKeepsIt()
    {
        using var scope = NewDisposeScope();
        Tensor residual = randn(9, 2, 4, 4, generator: new Generator(5)) * arange(1, 10, ScalarType.Float32).view(9, 1, 1, 1);
        using var mechanism = new ResidualMechanism(new ResidualPrivacySettings(1, ClipQuantile: 0.5), seed: 6);
        mechanism.Apply("a", residual).Dispose();
        double[] norms = residual.flatten(1).norm(1).data<float>().Select(v => (double)v).Order().ToArray();
        Assert.Equal(norms[4], mechanism.ClipNorms["a"], 1e-4 * norms[4]); // the median of nine
        mechanism.Apply("a", residual * 100).Dispose();
        Assert.Equal(norms[4], mechanism.ClipNorms["a"], 1e-4 * norms[4]); // fixed after the first batch
        mechanism.Apply("b", residual * 100).Dispose();
        Assert.Equal(norms[4] * 100, mechanism.ClipNorms["b"], 1e-2 * norms[4]); // per layer
    }

    [Fact]
    public void CryptoNormalIsStandardNormalAndSeedsOnlyInTests()
    {
        var a = new float[200_000];
        using (var normal = new CryptoNormal(seed: 9)) normal.Fill(a, 1);
        double mean = a.Average(v => (double)v), variance = a.Average(v => ((double)v - mean) * ((double)v - mean));
        double kurtosis = a.Average(v => Math.Pow(v - mean, 4)) / (variance * variance);
        Assert.True(Math.Abs(mean) < 0.01, $"mean {mean}");            // 4.5 standard errors
        Assert.InRange(variance, 0.99, 1.01);
        Assert.InRange(kurtosis, 2.95, 3.05);
        Assert.InRange(a.Count(v => Math.Abs(v) > 1.96) / (double)a.Length, 0.047, 0.053); // two-sided 5% tail
        var b = new float[1000];
        var c = new float[1000];
        using (var normal = new CryptoNormal(seed: 9)) normal.Fill(b, 1);
        Assert.Equal(a[..1000], b);
        using (var normal = new CryptoNormal()) normal.Fill(b, 1);
        using (var normal = new CryptoNormal()) normal.Fill(c, 1);
        Assert.NotEqual(b, c);
    }

    [Theory]
    [InlineData(0.0, null, 0.5, 1e-5, "noise multiplier")]
    [InlineData(1.0, -1.0, 0.5, 1e-5, "clipping norm")]
    [InlineData(1.0, null, 0.0, 1e-5, "quantile")]
    [InlineData(1.0, null, 0.5, 1.0, "δ")]
    public void BadSettingsAreRefused(double sigma, double? clip, double quantile, double delta, string named) =>
        Assert.Contains(named, Assert.Throws<ArgumentException>(() => new ResidualMechanism(new ResidualPrivacySettings(sigma, clip, quantile, delta))).Message);

    [Fact]
    public void NsrAndTheMechanismTogetherAreRefused()
    {
        var settings = new EnclaveSettings(AsymML.Tests.Privacy.Attacks.AttackFixtures.Tiny(), new Dictionary<string, AsymML.Decomposition.RankAssignment>(),
            NoiseRatio: 0.05, ResidualPrivacy: new ResidualPrivacySettings(1));
        Assert.Contains("cannot be combined", Assert.Throws<ArgumentException>(settings.ValidateNoise).Message);
    }

    private static double Correlation(Tensor x, Tensor y)
    {
        Tensor a = x.flatten() - x.mean(), b = y.flatten() - y.mean();
        return ((a * b).sum() / (a.norm() * b.norm())).ToDouble();
    }
}
