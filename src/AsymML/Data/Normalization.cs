using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Data;

/// <summary>
/// Per-channel standardisation x' = (x − mean[c]) / std[c] of float batches whose values are pixel / 255 (as
/// <see cref="LabeledImages.ToTensor(int, int)"/> makes them). Immutable and holds no native memory.
/// <para>
/// Trust: the statistics of a private training set are themselves private aggregates; compute and keep them inside
/// the enclave. Normalisation runs before the first convolution, so the host only ever sees (the residual of) the
/// normalised tensor.
/// </para>
/// </summary>
public sealed class Normalization
{
    private readonly double[] _mean;
    private readonly double[] _std;

    /// <summary>Creates the normalisation from per-channel statistics in the [0, 1] value scale.</summary>
    /// <param name="mean">Mean of each channel (length C ≥ 1), finite.</param>
    /// <param name="std">Standard deviation of each channel (length C), finite and &gt; 0.</param>
    /// <exception cref="ArgumentException">The lengths differ or are 0, a mean is not finite, or a std is not finite and positive.</exception>
    public Normalization(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
            throw new ArgumentException($"Need one mean and one std per channel (got {mean.Count} means and {std.Count} stds).", nameof(std));
        if (mean.Any(m => !double.IsFinite(m)))
            throw new ArgumentException($"Every mean must be finite (got {string.Join(", ", mean)}).", nameof(mean));
        if (std.Any(s => !double.IsFinite(s) || s <= 0))
            throw new ArgumentException($"Every std must be finite and positive (got {string.Join(", ", std)}).", nameof(std));
        _mean = mean.ToArray();
        _std = std.ToArray();
    }

    /// <summary>Mean of each channel, in the [0, 1] value scale.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Standard deviation of each channel, in the [0, 1] value scale; all &gt; 0.</summary>
    public IReadOnlyList<double> Std => _std;

    /// <summary>Number of channels C.</summary>
    public int Channels => _mean.Length;

    /// <summary>
    /// The per-channel mean and population standard deviation (divide by N, not N − 1) of pixel / 255 over every
    /// pixel of every image of <paramref name="data"/>, accumulated exactly in integer counts and float64. A channel
    /// that is constant gets std 1, so it is shifted to 0 rather than divided by zero.
    /// </summary>
    /// <param name="data">A non-empty image set (typically the training split, never the test split).</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no pixels.</exception>
    public static Normalization FromData(LabeledImages data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int plane = data.Rows * data.Cols;
        if (data.Count == 0 || plane == 0)
            throw new ArgumentException("Cannot compute normalisation statistics of an empty image set.", nameof(data));

        // A 256-bin histogram per channel: one pass over the bytes, and sums that are exact (no float rounding that
        // grows with the 47 million values of a full Fashion-MNIST split).
        var histogram = new long[data.Channels, 256];
        ReadOnlySpan<byte> pixels = data.Pixels;
        for (int i = 0; i < data.Count; i++)
            for (int c = 0; c < data.Channels; c++)
                foreach (byte v in pixels.Slice((i * data.Channels + c) * plane, plane))
                    histogram[c, v]++;

        var mean = new double[data.Channels];
        var std = new double[data.Channels];
        double n = (double)data.Count * plane;
        for (int c = 0; c < data.Channels; c++)
        {
            double sum = 0;
            for (int v = 0; v < 256; v++)
                sum += histogram[c, v] * (v / 255.0);
            mean[c] = sum / n;
            double squares = 0;
            for (int v = 0; v < 256; v++)
            {
                double d = v / 255.0 - mean[c];
                squares += histogram[c, v] * d * d;
            }
            double s = Math.Sqrt(squares / n);
            std[c] = s > 0 ? s : 1.0;
        }
        return new Normalization(mean, std);
    }

    /// <summary>Returns a new tensor (x − mean[c]) / std[c]; <paramref name="batch"/> is not modified.</summary>
    /// <param name="batch">Floating-point tensor [B, C, H, W] with C = <see cref="Channels"/>, values pixel / 255.</param>
    /// <returns>A tensor of the same shape, dtype and device, owned by the caller (or the caller's dispose scope).</returns>
    /// <exception cref="ArgumentException">The batch is not 4-D floating point with <see cref="Channels"/> channels.</exception>
    public Tensor Apply(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.dim() != 4 || !batch.is_floating_point() || batch.shape[1] != Channels)
            throw new ArgumentException(
                $"Normalisation expects a floating-point batch [B, {Channels}, H, W]; got {batch.dtype} [{string.Join(", ", batch.shape)}].", nameof(batch));
        using var scope = torch.NewDisposeScope();
        Tensor mean = torch.tensor(_mean, new long[] { 1, Channels, 1, 1 }, batch.dtype, batch.device);
        Tensor std = torch.tensor(_std, new long[] { 1, Channels, 1, 1 }, batch.dtype, batch.device);
        return batch.sub(mean).div_(std).MoveToOuterDisposeScope();
    }
}
