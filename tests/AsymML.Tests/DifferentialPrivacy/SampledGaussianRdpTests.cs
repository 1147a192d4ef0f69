using AsymML.DifferentialPrivacy;

namespace AsymML.Tests.DifferentialPrivacy;

/// <summary>
/// The sampled Gaussian mechanism's RDP against published values and an independent numerical integration.
/// Published: TF-Privacy's <c>rdp_accountant_test.py</c> (tensorflow/privacy,
/// tensorflow_privacy/privacy/analysis/rdp_accountant_test.py): compute_rdp(0.1, 2, 10, 5) = 0.07737 (5 places);
/// compute_rdp(0.01, 2.5, 50, [1.5, 2.5, 5, 50, 100, ∞]) = [0.00065, 0.001085, 0.00218075, 0.023846, 167.416307, ∞]
/// (±1e-5). The mpmath figures come from scripts/privacy/rdp-reference.py (Debian python3-mpmath: A_α integrated
/// numerically at 30 digits, a different method from the series here).
/// </summary>
public class SampledGaussianRdpTests
{
    [Fact]
    public void MatchesTfPrivacyPublishedValues()
    {
        Assert.Equal(0.07737, SampledGaussianRdp.Rdp(0.1, 2, 10, [5.0])[0], 5e-6);
        double[] rdp = SampledGaussianRdp.Rdp(0.01, 2.5, 50, [1.5, 2.5, 5, 50, 100, double.PositiveInfinity]);
        double[] published = [0.00065, 0.001085, 0.00218075, 0.023846, 167.416307];
        for (int i = 0; i < published.Length; i++)
            Assert.True(Math.Abs(rdp[i] - published[i]) <= 1e-5, $"order index {i}: {rdp[i]} vs published {published[i]}");
        Assert.True(double.IsPositiveInfinity(rdp[5]));
    }

    [Fact]
    public void NoSamplingIsThePlainGaussianMechanism()
    {
        // q = 1: α/(2z²); TF-Privacy's test: compute_rdp(1, 10, 1, 20) = 0.1. q = 0: nothing released.
        Assert.Equal(0.1, SampledGaussianRdp.Rdp(1, 10, 20), 1e-15);
        Assert.Equal(0, SampledGaussianRdp.Rdp(0, 10, 20));
    }

    [Theory]
    // (q, z, α, log A_α from mpmath quad at 30 digits)
    [InlineData(1e-3, 1.0, 2.0, 1.71828035221e-6)]
    [InlineData(0.01, 10.0, 20.0, 0.000191296999128)]
    [InlineData(0.1, 2.0, 20.5, 4.57964622422)]
    [InlineData(0.04, 1.5, 7.3, 0.0239608074334)]
    [InlineData(0.5, 0.8, 3.5, 4.4879659345)]
    public void MatchesNumericalIntegration(double q, double z, double alpha, double logA)
    {
        double rdp = SampledGaussianRdp.Rdp(q, z, alpha);
        Assert.True(Math.Abs(rdp * (alpha - 1) - logA) <= 1e-6 * Math.Max(1e-3, Math.Abs(logA)),
            $"q {q}, z {z}, α {alpha}: log A = {rdp * (alpha - 1):R}, mpmath {logA:R}");
    }

    [Fact]
    public void IntegerAndFractionalFormulasAgreeAtTheSeam()
    {
        // α = 5 by the binomial sum and α = 5 ± 1e-7 by the split-integral series: RDP is smooth in α.
        double at = SampledGaussianRdp.Rdp(0.02, 1.1, 5), below = SampledGaussianRdp.Rdp(0.02, 1.1, 5 - 1e-7), above = SampledGaussianRdp.Rdp(0.02, 1.1, 5 + 1e-7);
        Assert.Equal(at, below, 1e-8);
        Assert.Equal(at, above, 1e-8);
    }

    [Fact]
    public void RefusesBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampledGaussianRdp.Rdp(1.5, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampledGaussianRdp.Rdp(0.1, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampledGaussianRdp.Rdp(0.1, 1, 1));
    }
}
