using AsymML.Privacy.Estimators;
using Xunit.Abstractions;

namespace AsymML.Tests.Privacy.Estimators;

/// <summary>The tie protocol (jitter 1e−8 of each coordinate's std) on zero-inflated data of known MI.</summary>
public class TieBreakingEstimatorTests(ITestOutputHelper output)
{
    private readonly TieBreakingEstimator _protocol = new(new KsgEstimator(3));

    [Fact]
    public void IndependentTiesReadAsThePermutationBaseline()
    {
        var (x, y, _) = SyntheticPairs.ZeroInflated(2000, 0, 0.7, sharedZeros: false, seed: 13);
        double estimate = _protocol.Estimate(x, y);
        PermutationResult baseline = PermutationBaseline.Measure(_protocol, x, y, permutations: 8, seed: 3);
        output.WriteLine($"jittered: {estimate:0.0000}; permutations {baseline.Mean:0.0000} ± {baseline.StandardDeviation:0.0000}");
        Assert.InRange(estimate, baseline.Mean - 4 * baseline.StandardDeviation - 0.005, baseline.Mean + 4 * baseline.StandardDeviation + 0.005);
        Assert.InRange(estimate, -0.03, 0.03);
    }

    [Theory]
    // shared zeros: truth H(0.7) + 0.3·I_g = 0.860, measured −18.0% at n = 2000 (−5.5% at 10k): continuous
    // samples next to the atom count it in their marginal and read low. Independent zeros: 0.3²·I_g = 0.075,
    // measured +30% (+0.022 nats, within the sampling noise of this small figure; +12% at 10k).
    [InlineData(true, -0.25, 0.0)]
    [InlineData(false, -0.35, 0.45)]
    public void CountsTheTieMassAsTheDiscreteEventItIs(bool shared, double low, double high)
    {
        var (x, y, truth) = SyntheticPairs.ZeroInflated(2000, 0.9, 0.7, shared, seed: 14);
        double estimate = _protocol.Estimate(x, y);
        output.WriteLine($"shared={shared}: truth {truth:0.0000}, jittered KSG {estimate:0.0000} ({(estimate - truth) / truth:+0.0%;-0.0%})");
        Assert.InRange((estimate - truth) / truth, low, high);
    }

    [Fact]
    public void IsReproducibleAndLeavesContinuousDataAlone()
    {
        var (x, y, _) = SyntheticPairs.CorrelatedGaussians(1000, 1, 0.8, seed: 15);
        var ksg = new KsgEstimator(3);
        Assert.Equal(_protocol.Estimate(x, y), _protocol.Estimate(x, y));
        Assert.Equal(ksg.Estimate(x, y), _protocol.Estimate(x, y), 6);
    }
}
