using AsymML.Privacy.Estimators;
using Xunit.Abstractions;

namespace AsymML.Tests.Privacy.Estimators;

/// <summary>Coverage of half-sampling intervals of KSG on Gaussians, against the bootstrap with replacement that
/// k-NN estimators break.</summary>
public class HalfSamplingTests(ITestOutputHelper output)
{
    [Fact]
    public void HalfSamplingCoversTheTruthAndTheBootstrapDoesNot()
    {
        var ksg = new KsgEstimator(3);
        int halves = 0, bootstrap = 0;
        const int trials = 10;
        for (int t = 0; t < trials; t++)
        {
            var (x, y, truth) = SyntheticPairs.CorrelatedGaussians(500, 1, 0.5, seed: 300 + t);
            if (HalfSampling.Interval(ksg, x, y, replicates: 8, seed: t).Covers(truth)) halves++;
            if (Bootstrap.PercentileInterval(ksg, x, y, replicates: 8, seed: t).Covers(truth)) bootstrap++;
        }
        // Nominal 95%; at 10 trials 7 or fewer would happen by chance with probability 1%. Measured: see output.
        output.WriteLine($"covered: half-sampling {halves}/{trials}, bootstrap {bootstrap}/{trials}");
        Assert.InRange(halves, 8, trials);
        Assert.InRange(bootstrap, 0, 2);
    }

    [Fact]
    public void StandardErrorOfAMeanMatchesTheFormula()
    {
        var random = new Random(4);
        double[] values = Enumerable.Range(0, 2000).Select(_ => SyntheticPairsNormal(random)).ToArray();
        ResamplingInterval interval = HalfSampling.Interval(values.Length, rows => rows.Average(i => values[i]), replicates: 200, seed: 2);
        double expected = 1 / Math.Sqrt(values.Length);
        output.WriteLine($"se {interval.StandardError:0.00000} vs σ/√n {expected:0.00000}");
        Assert.InRange(interval.StandardError / expected, 0.8, 1.2);
        Assert.Equal(1.959964, HalfSampling.NormalQuantile(0.975), 5);
    }

    private static double SyntheticPairsNormal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
