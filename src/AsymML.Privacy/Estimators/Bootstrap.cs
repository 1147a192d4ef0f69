namespace AsymML.Privacy.Estimators;

/// <summary>
/// The ordinary (Efron) percentile bootstrap: n samples drawn with replacement, the interval between the
/// (1 ∓ confidence)/2 quantiles of the replicates. Correct for smooth statistics such as a mean or a
/// correlation; WRONG for k-NN estimators of mutual information, whose replicates see each repeated sample as an
/// exact tie and read high (use <see cref="HalfSampling"/>). Kept so that the failure is measured, not assumed.
/// </summary>
public static class Bootstrap
{
    /// <summary>The percentile interval of <paramref name="statistic"/> (called with row indices, repeats allowed;
    /// with all rows in order for the estimate).</summary>
    public static ResamplingInterval PercentileInterval(int count, Func<int[], double> statistic, int replicates = 20, int seed = 1, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 2);
        double estimate = statistic(Enumerable.Range(0, count).ToArray());
        var random = new Random(seed);
        var values = new double[replicates];
        for (int r = 0; r < replicates; r++)
        {
            var rows = new int[count];
            for (int i = 0; i < count; i++) rows[i] = random.Next(count);
            values[r] = statistic(rows);
        }
        Array.Sort(values);
        double mean = values.Average();
        double se = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (replicates - 1));
        double tail = (1 - confidence) / 2;
        return new ResamplingInterval(estimate, Quantile(values, tail), Quantile(values, 1 - tail), se, replicates, confidence);
    }

    /// <summary>The interval of an MI estimate on (x, y), resampling pairs with replacement.</summary>
    public static ResamplingInterval PercentileInterval(IMutualInformationEstimator estimator, SampleMatrix x, SampleMatrix y, int replicates = 20, int seed = 1, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return PercentileInterval(x.Count, rows => estimator.Estimate(x.Rows(rows), y.Rows(rows)), replicates, seed, confidence);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
