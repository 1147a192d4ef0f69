using AsymML.Privacy.Estimators;

namespace AsymML.Tests.Privacy.Estimators;

/// <summary>The tree's two queries against brute force, on continuous data and on data full of exact ties.</summary>
public class MaxNormKdTreeTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    public void NearestAndCountsMatchBruteForce(int d, bool ties)
    {
        var random = new Random(7);
        const int n = 400;
        // Ties: values on a grid of 5 levels, so most distances repeat and many are 0.
        double[] values = Enumerable.Range(0, n * d).Select(_ => ties ? random.Next(5) : random.NextDouble()).ToArray();
        var samples = new SampleMatrix(values, n, d);
        var tree = new MaxNormKdTree(samples);
        const int k = 6;
        var indices = new int[k];
        var distances = new double[k];
        for (int i = 0; i < n; i++)
        {
            double[] brute = Enumerable.Range(0, n).Where(j => j != i).Select(j => Distance(samples, i, j)).OrderBy(v => v).ToArray();
            tree.Nearest(i, k, indices, distances);
            Assert.Equal(brute[..k], distances);
            Assert.DoesNotContain(i, indices);
            for (int j = 0; j < k; j++) Assert.Equal(distances[j], Distance(samples, i, indices[j]));
            double radius = distances[k - 1];
            Assert.Equal(brute.Count(v => v < radius) + (radius > 0 ? 1 : 0), tree.CountWithin(i, radius));
            Assert.Equal(brute.Count(v => v <= radius) + 1, tree.CountWithin(i, radius, inclusive: true));
        }
    }

    [Fact]
    public void RefusesImpossibleK()
    {
        var tree = new MaxNormKdTree(SampleMatrix.Column([1.0, 2.0, 3.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Nearest(0, 3, new int[3], new double[3]));
    }

    private static double Distance(SampleMatrix s, int a, int b) =>
        Enumerable.Range(0, s.Dimension).Max(c => Math.Abs(s[a, c] - s[b, c]));
}
