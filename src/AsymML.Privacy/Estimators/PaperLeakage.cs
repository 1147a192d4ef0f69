using static TorchSharp.torch;

namespace AsymML.Privacy.Estimators;

/// <summary>
/// The leakage figure of the paper (Figure 7, section 4.4) computed as the authors' code computes it, so that our
/// figure can stand beside theirs: for each image b, the element positions j of the private tensor X_b and of the
/// tensor that crossed, R_b, give n = |X_b| samples (x_j, r_j) of one 2-D distribution; the figure is
/// LNC(x, r) / LNC(x, x), each with its own independent jitter (<see cref="PaperLeakageOptions.Jitter"/>).
/// <para>
/// Read it for what it is: it measures how much one element's value says about the same element's crossing value,
/// not I(X; R) over images; the denominator estimates an infinite quantity, so it is set by k, the jitter and the
/// ties; and with no noise R is a deterministic function of X. A small figure does not mean little leaks: report
/// attacks beside it (see notes/privacy.md).
/// </para>
/// </summary>
public static class PaperLeakage
{
    /// <summary>The figure of one image: <paramref name="privateValues"/> and <paramref name="crossing"/> paired by position.</summary>
    public static PaperImageLeakage Image(ReadOnlySpan<float> privateValues, ReadOnlySpan<float> crossing, PaperLeakageOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (privateValues.Length != crossing.Length)
            throw new ArgumentException($"The private tensor has {privateValues.Length} elements per image and the crossing one {crossing.Length}: the protocol pairs equal positions.", nameof(crossing));
        var random = new Random(seed);
        int[] positions = Positions(privateValues.Length, options.MaxElements, random);
        var x = new double[positions.Length];
        var r = new double[positions.Length];
        for (int i = 0; i < positions.Length; i++)
        {
            x[i] = privateValues[positions[i]];
            r[i] = crossing[positions[i]];
        }
        var lnc = new LncEstimator(options.K, options.Alpha);
        double numerator = lnc.Estimate(Jittered(x, options.Jitter, random), Jittered(r, options.Jitter, random));
        double denominator = lnc.Estimate(Jittered(x, options.Jitter, random), Jittered(x, options.Jitter, random));
        return new PaperImageLeakage(numerator, denominator, positions.Length);
    }

    /// <summary>The figure of every image of a batch (<paramref name="privateTensor"/> and <paramref name="crossing"/>
    /// [B, ...] with equal elements per image), and the mean ratio with a half-sampling interval over images.</summary>
    public static PaperLeakageResult Batch(Tensor privateTensor, Tensor crossing, PaperLeakageOptions options, int? maxImages = null)
    {
        ArgumentNullException.ThrowIfNull(privateTensor);
        ArgumentNullException.ThrowIfNull(crossing);
        int images = (int)Math.Min(privateTensor.shape[0], maxImages ?? long.MaxValue);
        if (crossing.shape[0] < images)
            throw new ArgumentException($"The crossing tensor has {crossing.shape[0]} images; {images} are measured.", nameof(crossing));
        var result = new List<PaperImageLeakage>(images);
        for (int b = 0; b < images; b++)
        {
            using var scope = NewDisposeScope();
            result.Add(Image(Values(privateTensor[b]), Values(crossing[b]), options, options.Seed * 7919 + b));
        }
        return Summarise(result, options);
    }

    /// <summary>The mean of per-image ratios with a half-sampling interval over the images (≥ 4 of them; with fewer
    /// the interval is the range of the ratios).</summary>
    public static PaperLeakageResult Summarise(IReadOnlyList<PaperImageLeakage> images, PaperLeakageOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        if (images.Count == 0) throw new ArgumentException("Measure at least one image.", nameof(images));
        double[] ratios = images.Select(i => i.Ratio).ToArray();
        ResamplingInterval interval = ratios.Length >= 4
            ? HalfSampling.Interval(ratios.Length, rows => rows.Average(i => ratios[i]), options.Replicates, options.Seed)
            : new ResamplingInterval(ratios.Average(), ratios.Min(), ratios.Max(), double.NaN, 0, 1);
        return new PaperLeakageResult(images, interval);
    }

    internal static float[] Values(Tensor image)
    {
        using Tensor flat = image.detach().to(ScalarType.Float32).contiguous().flatten();
        return flat.data<float>().ToArray();
    }

    private static int[] Positions(int count, int? max, Random random)
    {
        int[] all = Enumerable.Range(0, count).ToArray();
        if (max is not int m || m >= count) return all;
        random.Shuffle(all);
        int[] some = all[..m];
        Array.Sort(some);
        return some;
    }

    private static SampleMatrix Jittered(double[] values, double jitter, Random random)
    {
        var copy = new double[values.Length];
        for (int i = 0; i < values.Length; i++) copy[i] = values[i] + jitter * random.NextDouble();
        return SampleMatrix.Column(copy);
    }
}
