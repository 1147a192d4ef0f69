using AsymML.DifferentialPrivacy;

namespace AsymML.Tests.DifferentialPrivacy;

/// <summary>The exact Gaussian-mechanism curve and erfc.</summary>
public class GaussianDpTests
{
    [Theory]
    // Python's math.erfc (C library) and mpmath agree on these to 1 ulp (scripts/privacy/rdp-reference.py).
    // Near x = 2 the series 1 − erf loses two digits: 1e-13 relative.
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.9, 0.0072095707647425325)]
    [InlineData(2.1, 0.002979466656332984)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(-1.3, 1.9340079449406524)]
    public void ErfcMatchesTheCLibrary(double x, double expected) =>
        Assert.True(Math.Abs(GaussianTail.Erfc(x) - expected) <= 1e-13 * expected, $"erfc({x}) = {GaussianTail.Erfc(x):R}");

    [Fact]
    public void LogErfcFarInTheTail()
    {
        // erfc(30) ≈ 2.6e-393 underflows a double; its log does not (mpmath: −903.974117111).
        Assert.Equal(-903.974117111, GaussianTail.LogErfc(30), 1e-8);
        Assert.Equal(Math.Log(1.5374597944280351e-12), GaussianTail.LogErfc(5), 1e-12);
    }

    [Fact]
    public void ExactCurveInvertsAndIsBelowRdp()
    {
        // One Gaussian mechanism, z = 1 (μ = 1): Balle and Wang's exact ε at δ = 1e-5 is below the RDP bound for the
        // same mechanism, and δ(ε) at the returned ε is δ.
        double mu = GaussianDp.Mu(1, 1);
        double exact = GaussianDp.Epsilon(mu, 1e-5);
        Assert.Equal(1e-5, GaussianDp.Delta(mu, exact), 1e-12);
        double rdp = new RdpAccountant().Compose(1, 1).GetPrivacySpent(1e-5).Epsilon;
        Assert.True(exact < rdp, $"exact {exact} vs RDP {rdp}");
        // k mechanisms of multiplier z are one of multiplier z/√k.
        Assert.Equal(GaussianDp.Mu(2, 16), GaussianDp.Mu(0.5, 1), 1e-12);
    }
}
