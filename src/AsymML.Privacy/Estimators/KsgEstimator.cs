namespace AsymML.Privacy.Estimators;

/// <summary>
/// Estimator 1 of Kraskov, Stögbauer and Grassberger (2004, Eq. 8) in the max-norm:
/// Î = ψ(k) + ψ(n) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩, where ε_i is the max-norm distance from (x_i, y_i) to its k-th
/// nearest neighbour in the joint space and n_x(i) the number of other samples with ‖x_j − x_i‖∞ &lt; ε_i
/// (likewise n_y). Neighbours come from <see cref="MaxNormKdTree"/>s (joint and both marginals).
/// <para>
/// Known behaviour (measured in docs/privacy-estimators.md): biased low as the true MI grows, more so in higher
/// dimension; on data with exact ties (e.g. ReLU zeros) ε_i = 0 and the counts collapse to 0, so every tied sample
/// adds about ψ(n) − 2ψ(1) nats of spurious information. Break ties first with <see cref="TieBreakingEstimator"/>.
/// </para>
/// </summary>
public sealed class KsgEstimator : IMutualInformationEstimator
{
    /// <summary>Creates the estimator with <paramref name="k"/> neighbours (KSG recommend 2–4; default 3).</summary>
    public KsgEstimator(int k = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        K = k;
    }

    /// <summary>Number of neighbours k.</summary>
    public int K { get; }

    /// <inheritdoc />
    public string Name => $"KSG-1 k={K}";

    /// <inheritdoc />
    public double Estimate(SampleMatrix x, SampleMatrix y)
    {
        SampleMatrix joint = SampleMatrix.Join(x, y);
        int n = joint.Count;
        if (n <= K)
            throw new ArgumentException($"KSG with k = {K} needs more than {K} samples; got {n}.", nameof(x));
        var jointTree = new MaxNormKdTree(joint);
        var xTree = new MaxNormKdTree(x);
        var yTree = new MaxNormKdTree(y);
        var terms = new double[n];
        Parallel.For(0, n, i =>
        {
            Span<int> indices = stackalloc int[K];
            Span<double> distances = stackalloc double[K];
            jointTree.Nearest(i, K, indices, distances);
            double epsilon = distances[K - 1];
            // Counts of other samples strictly inside ε; the sample itself is inside only when ε > 0.
            int self = epsilon > 0 ? 1 : 0;
            int nx = xTree.CountWithin(i, epsilon) - self;
            int ny = yTree.CountWithin(i, epsilon) - self;
            terms[i] = Digamma.Of(nx + 1) + Digamma.Of(ny + 1);
        });
        // Summed in order, so an estimate does not depend on the thread schedule.
        return Digamma.Of(K) + Digamma.Of(n) - terms.Sum() / n;
    }
}
