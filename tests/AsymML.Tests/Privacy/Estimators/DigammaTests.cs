using AsymML.Privacy.Estimators;

namespace AsymML.Tests.Privacy.Estimators;

/// <summary>ψ against known values and its recurrence.</summary>
public class DigammaTests
{
    [Fact]
    public void MatchesKnownValuesAndTheRecurrence()
    {
        Assert.Equal(-Digamma.EulerGamma, Digamma.Of(1), 12);
        Assert.Equal(-Digamma.EulerGamma - 2 * Math.Log(2), Digamma.Of(0.5), 10); // ψ(½)
        for (int n = 1; n < 200; n++)
        {
            Assert.Equal(Digamma.Of(n) + 1.0 / n, Digamma.Of(n + 1), 11);
            Assert.Equal(Digamma.Of((double)n), Digamma.Of(n), 11);
        }
        Assert.Equal(9.210290371, Digamma.Of(10_000), 8); // ln(10⁴) − 1/(2·10⁴) − …
        Assert.Throws<ArgumentOutOfRangeException>(() => Digamma.Of(0));
    }
}
