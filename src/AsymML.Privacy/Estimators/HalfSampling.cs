namespace AsymML.Privacy.Estimators;

/// <summary>
/// Confidence intervals by half-sampling: the statistic on R random halves of the samples drawn without
/// replacement. A half of size n/2 drawn from n samples varies around the full-sample statistic with variance
/// σ²(2/n − 1/n) = σ²/n, the variance of the full-sample statistic itself, so the spread of the halves is its
/// standard error with no rescaling, and the interval is estimate ± z · se.
/// <para>
/// Why not the ordinary bootstrap: resampling with replacement repeats samples, and a repeated sample is an exact
/// tie at distance 0, which k-NN estimators read as near-certain dependence (see <see cref="Bootstrap"/>, kept to
/// show it: its intervals covered the truth in none of the Gaussian trials measured in docs/privacy-estimators.md).
/// </para>
/// </summary>
public static class HalfSampling
{
    /// <summary>The interval of <paramref name="statistic"/> (called with sorted row indices of a half of the
    /// <paramref name="count"/> samples; with all of them for the estimate).</summary>
    public static ResamplingInterval Interval(int count, Func<int[], double> statistic, int replicates = 20, int seed = 1, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        if (count < 4) throw new ArgumentOutOfRangeException(nameof(count), count, "Half-sampling needs at least 4 samples.");
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 2);
        double estimate = statistic(Enumerable.Range(0, count).ToArray());
        var random = new Random(seed);
        var values = new double[replicates];
        for (int r = 0; r < replicates; r++)
            values[r] = statistic(Half(count, random));
        double mean = values.Average();
        double se = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (replicates - 1));
        double z = NormalQuantile(0.5 + confidence / 2);
        return new ResamplingInterval(estimate, estimate - z * se, estimate + z * se, se, replicates, confidence);
    }

    /// <summary>The interval of an MI estimate on (x, y), resampling pairs.</summary>
    public static ResamplingInterval Interval(IMutualInformationEstimator estimator, SampleMatrix x, SampleMatrix y, int replicates = 20, int seed = 1, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return Interval(x.Count, rows => rows.Length == x.Count ? estimator.Estimate(x, y) : estimator.Estimate(x.Rows(rows), y.Rows(rows)), replicates, seed, confidence);
    }

    /// <summary>A random half (⌊n/2⌋ of n, without replacement), sorted.</summary>
    internal static int[] Half(int count, Random random)
    {
        int[] order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        int[] half = order[..(count / 2)];
        Array.Sort(half);
        return half;
    }

    /// <summary>Φ⁻¹(p) (Acklam's rational approximation, relative error &lt; 1.2e−9).</summary>
    internal static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in (0, 1).");
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) return -NormalQuantile(1 - p);
        double u = p - 0.5, r = u * u;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
