namespace AsymML.Privacy.Estimators;

/// <summary>
/// The local non-uniformity correction (LNC) of Gao, Ver Steeg and Galstyan (2015): a KSG estimate whose
/// local-uniformity assumption is repaired where the k nearest neighbours of a sample fill only a thin slab of the
/// max-norm box around it, as happens for strongly dependent variables.
/// <para>
/// Base term (KSG estimator 2, the rectangle form the correction is defined on):
/// Î = ψ(k) − 1/k + ψ(n) − ⟨ψ(n_x) + ψ(n_y)⟩, where ε_x(i), ε_y(i) are the largest marginal max-norm distances
/// among the k joint nearest neighbours of sample i and n_x(i) = |{j ≠ i : ‖x_j − x_i‖∞ ≤ ε_x(i)}|.
/// Correction: with the neighbours centred on the sample, log V(i) = d_x log ε_x + d_y log ε_y is the log-volume of
/// that box (up to 2^d) and log V̄(i) the log-volume of the box spanned by the neighbours along the eigenvectors
/// of their second-moment matrix; where V̄/V &lt; α the estimate gains (log V − log V̄)/n.
/// </para>
/// <para>
/// α trades missed corrections against false ones on locally uniform data; <see cref="CalibrateAlpha"/> measures
/// it. The covariance of k neighbours in d_x + d_y dimensions needs k &gt; d_x + d_y. A sample whose neighbours span
/// zero width in some direction (exact ties: no jitter) gets no correction, since its log-volume is −∞.
/// </para>
/// </summary>
public sealed class LncEstimator : IMutualInformationEstimator
{
    /// <summary>Creates the estimator with <paramref name="k"/> neighbours and threshold <paramref name="alpha"/> in (0, 1).</summary>
    public LncEstimator(int k = 10, double alpha = 0.25)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be in (0, 1).");
        K = k;
        Alpha = alpha;
    }

    /// <summary>Number of neighbours k.</summary>
    public int K { get; }

    /// <summary>Threshold α on V̄/V below which a sample's term is corrected.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public string Name => $"LNC k={K} α={Alpha:0.###}";

    /// <inheritdoc />
    public double Estimate(SampleMatrix x, SampleMatrix y) => EstimateParts(x, y).Total;

    /// <summary>The KSG-2 base, the correction and the share of samples corrected.</summary>
    public LncParts EstimateParts(SampleMatrix x, SampleMatrix y)
    {
        SampleMatrix joint = SampleMatrix.Join(x, y);
        int n = joint.Count, d = joint.Dimension, dx = x.Dimension;
        if (K <= d)
            throw new ArgumentException($"LNC needs k > d_x + d_y = {d} for a full-rank neighbourhood; got k = {K}.", nameof(x));
        if (n <= K)
            throw new ArgumentException($"LNC with k = {K} needs more than {K} samples; got {n}.", nameof(x));
        var jointTree = new MaxNormKdTree(joint);
        var xTree = new MaxNormKdTree(x);
        var yTree = new MaxNormKdTree(y);
        var baseTerms = new double[n];
        var corrections = new double[n];
        Parallel.For(0, n, () => new double[d * d * 2 + K * d], (i, _, work) =>
        {
            Span<int> indices = stackalloc int[K];
            Span<double> distances = stackalloc double[K];
            jointTree.Nearest(i, K, indices, distances);
            ReadOnlySpan<double> centre = joint.Row(i);
            Span<double> centred = work.AsSpan(2 * d * d, K * d);
            double ex = 0, ey = 0;
            for (int j = 0; j < K; j++)
            {
                ReadOnlySpan<double> p = joint.Row(indices[j]);
                for (int c = 0; c < d; c++)
                {
                    double v = p[c] - centre[c];
                    centred[j * d + c] = v;
                    if (c < dx) ex = Math.Max(ex, Math.Abs(v));
                    else ey = Math.Max(ey, Math.Abs(v));
                }
            }
            int nx = xTree.CountWithin(i, ex, inclusive: true) - 1;
            int ny = yTree.CountWithin(i, ey, inclusive: true) - 1;
            baseTerms[i] = Digamma.Of(Math.Max(nx, 1)) + Digamma.Of(Math.Max(ny, 1));
            corrections[i] = Correction(centred, K, d, dx, ex, ey, work.AsSpan(0, d * d), work.AsSpan(d * d, d * d));
            return work;
        }, _ => { });
        double baseEstimate = Digamma.Of(K) - 1.0 / K + Digamma.Of(n) - baseTerms.Sum() / n;
        double correction = corrections.Sum() / n;
        return new LncParts(baseEstimate, correction, corrections.Count(c => c > 0) / (double)n);
    }

    // log V − log V̄ when V̄/V < α, else 0.
    private double Correction(ReadOnlySpan<double> centred, int k, int d, int dx, double ex, double ey, Span<double> moment, Span<double> vectors)
    {
        if (ex == 0 || ey == 0) return 0;
        moment.Clear();
        for (int j = 0; j < k; j++)
            for (int a = 0; a < d; a++)
                for (int b = a; b < d; b++)
                    moment[a * d + b] += centred[j * d + a] * centred[j * d + b] / k;
        for (int a = 0; a < d; a++)
            for (int b = 0; b < a; b++)
                moment[a * d + b] = moment[b * d + a];
        SymmetricEigen.Decompose(moment, vectors, d);
        double logBar = 0;
        for (int e = 0; e < d; e++)
        {
            double widest = 0;
            for (int j = 0; j < k; j++)
            {
                double projection = 0;
                for (int c = 0; c < d; c++) projection += vectors[c * d + e] * centred[j * d + c];
                widest = Math.Max(widest, Math.Abs(projection));
            }
            if (widest == 0) return 0;
            logBar += Math.Log(widest);
        }
        double logBox = dx * Math.Log(ex) + (d - dx) * Math.Log(ey);
        return logBar < logBox + Math.Log(Alpha) ? logBox - logBar : 0;
    }

    /// <summary>
    /// The α at which a share <paramref name="falseCorrectionRate"/> of samples of locally uniform data (i.i.d.
    /// uniform on the unit cube of d_x + d_y dimensions; samples whose neighbourhood touches a face are skipped) would be
    /// corrected, i.e. that quantile of V̄/V: our own calibration of the criterion Gao et al. tabulate.
    /// </summary>
    public static double CalibrateAlpha(int dx, int dy, int k, double falseCorrectionRate = 0.01, int samples = 20000, int seed = 1) =>
        Calibrated.GetOrAdd((dx, dy, k, falseCorrectionRate, samples, seed), key => Calibrate(key.Dx, key.Dy, key.K, key.Rate, key.Samples, key.Seed));

    // Deterministic in its arguments, and costs a second: computed once per process.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Dx, int Dy, int K, double Rate, int Samples, int Seed), double> Calibrated = new();

    private static double Calibrate(int dx, int dy, int k, double falseCorrectionRate, int samples, int seed)
    {
        var random = new Random(seed);
        int d = dx + dy;
        var values = new double[samples * d];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble();
        var joint = new SampleMatrix(values, samples, d);
        var tree = new MaxNormKdTree(joint);
        var ratios = new List<double>();
        // With α → 1 every sample with V̄ < V is "corrected" by log V − log V̄: the ratio is recovered from it.
        var probe = new LncEstimator(k, 1 - 1e-12);
        Span<int> indices = stackalloc int[k];
        Span<double> distances = stackalloc double[k];
        var centred = new double[k * d];
        var moment = new double[d * d];
        var vectors = new double[d * d];
        for (int i = 0; i < samples; i++)
        {
            ReadOnlySpan<double> centre = joint.Row(i);
            tree.Nearest(i, k, indices, distances);
            // Only neighbourhoods away from the faces: a face cuts the box and would look like non-uniformity.
            double reach = distances[k - 1];
            bool inner = true;
            foreach (double c in centre) inner &= c - reach > 0 && c + reach < 1;
            if (!inner) continue;
            double ex = 0, ey = 0;
            for (int j = 0; j < k; j++)
                for (int c = 0; c < d; c++)
                {
                    double v = joint[indices[j], c] - centre[c];
                    centred[j * d + c] = v;
                    if (c < dx) ex = Math.Max(ex, Math.Abs(v));
                    else ey = Math.Max(ey, Math.Abs(v));
                }
            double gain = probe.Correction(centred, k, d, dx, ex, ey, moment, vectors);
            ratios.Add(Math.Exp(-gain));
        }
        if (ratios.Count < 100)
            throw new ArgumentException($"Only {ratios.Count} of {samples} uniform samples have neighbourhoods inside the cube in {d} dimensions: give more samples.", nameof(samples));
        ratios.Sort();
        return ratios[(int)Math.Floor(falseCorrectionRate * (ratios.Count - 1))];
    }
}
