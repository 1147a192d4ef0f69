namespace AsymML.Privacy.Estimators;

/// <summary>
/// What an estimator reads when there is nothing to find: the estimate on (x, π(y)) for random permutations π,
/// which keep both marginals (ties included) and destroy the dependence. An estimate is evidence of information
/// only as far as it exceeds this baseline; for independent data both should agree within the baseline's spread.
/// </summary>
public static class PermutationBaseline
{
    /// <summary>Mean and standard deviation of the estimate over <paramref name="permutations"/> shuffles of y.</summary>
    public static PermutationResult Measure(IMutualInformationEstimator estimator, SampleMatrix x, SampleMatrix y, int permutations = 10, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 2);
        var random = new Random(seed);
        var values = new double[permutations];
        for (int p = 0; p < permutations; p++)
        {
            int[] order = Enumerable.Range(0, y.Count).ToArray();
            random.Shuffle(order);
            values[p] = estimator.Estimate(x, y.Rows(order));
        }
        double mean = values.Average();
        return new PermutationResult(mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (permutations - 1)), values);
    }
}
