using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Data;

/// <summary>
/// A set of 8-bit images (C channels, planar: all of channel 0, then channel 1, …) with one class label each,
/// for example a Fashion-MNIST split (C = 1) or CIFAR-10 (C = 3). Pixels are kept as bytes (1 byte per value) and
/// only converted to float tensors on request.
/// </summary>
public sealed class LabeledImages
{
    /// <summary>Creates a single-channel set, checking that the array lengths match the shape.</summary>
    /// <param name="pixels">Pixel intensities 0..255, <paramref name="count"/> x <paramref name="rows"/> x <paramref name="cols"/>, row-major.</param>
    /// <param name="labels">One class label per image (<paramref name="count"/> entries).</param>
    /// <param name="count">Number of images.</param>
    /// <param name="rows">Image height in pixels.</param>
    /// <param name="cols">Image width in pixels.</param>
    /// <exception cref="ArgumentException">An array length does not match the shape.</exception>
    public LabeledImages(byte[] pixels, byte[] labels, int count, int rows, int cols)
        : this(pixels, labels, count, 1, rows, cols)
    {
    }

    /// <summary>Creates the set, checking that the array lengths match the shape.</summary>
    /// <param name="pixels">Values 0..255, <paramref name="count"/> x <paramref name="channels"/> x <paramref name="rows"/> x <paramref name="cols"/>, planar and row-major.</param>
    /// <param name="labels">One class label per image (<paramref name="count"/> entries).</param>
    /// <param name="count">Number of images.</param>
    /// <param name="channels">Channels per image (1 grayscale, 3 RGB).</param>
    /// <param name="rows">Image height in pixels.</param>
    /// <param name="cols">Image width in pixels.</param>
    /// <param name="classNames">Optional names of the classes, index = label.</param>
    /// <exception cref="ArgumentException">An array length does not match the shape, or a label has no class name.</exception>
    public LabeledImages(byte[] pixels, byte[] labels, int count, int channels, int rows, int cols, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if ((long)count * channels * rows * cols != pixels.LongLength)
            throw new ArgumentException($"{count} images of {channels}x{rows}x{cols} need {(long)count * channels * rows * cols} values but {pixels.Length} were given.", nameof(pixels));
        if (labels.Length != count)
            throw new ArgumentException($"{count} images need {count} labels but {labels.Length} were given.", nameof(labels));
        if (classNames is not null && count > 0 && labels.Max() >= classNames.Count)
            throw new ArgumentException($"Label {labels.Max()} has no name among the {classNames.Count} class names.", nameof(classNames));
        Channels = channels;
        ClassNames = classNames;
        Pixels = pixels;
        Labels = labels;
        Count = count;
        Rows = rows;
        Cols = cols;
    }

    /// <summary>Values 0..255; length <see cref="Count"/> x <see cref="Channels"/> x <see cref="Rows"/> x <see cref="Cols"/>, image-major, planar, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Class label of each image; length <see cref="Count"/>.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Channels per image (1 grayscale, 3 RGB).</summary>
    public int Channels { get; }

    /// <summary>Names of the classes (index = label), when the source has them.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Cols { get; }

    /// <summary>Bytes per image (<see cref="Channels"/> x <see cref="Rows"/> x <see cref="Cols"/>).</summary>
    public int PixelsPerImage => Channels * Rows * Cols;

    /// <summary>The values of image <paramref name="index"/>, planar and row-major (<see cref="PixelsPerImage"/> bytes).</summary>
    /// <param name="index">Image index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    public ReadOnlySpan<byte> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>The first <paramref name="count"/> images (all when the set is smaller), sharing nothing with this set.</summary>
    public LabeledImages Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = Math.Min(count, Count);
        return new LabeledImages(Pixels.AsSpan(0, n * PixelsPerImage).ToArray(), Labels.AsSpan(0, n).ToArray(), n, Channels, Rows, Cols, ClassNames);
    }

    /// <summary>
    /// All images as a new float32 CPU tensor of shape [<see cref="Count"/>, <see cref="Channels"/>, <see cref="Rows"/>, <see cref="Cols"/>]
    /// with values pixel / 255 in [0, 1]. Uses 4 bytes per pixel; see <see cref="ToTensor(int, int)"/> for batches.
    /// </summary>
    /// <returns>A tensor the caller owns (dispose it or use a dispose scope).</returns>
    public Tensor ToTensor() => ToTensor(0, Count);

    /// <summary>
    /// Images <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/> - 1 as a new float32 CPU
    /// tensor of shape [<paramref name="length"/>, <see cref="Channels"/>, <see cref="Rows"/>, <see cref="Cols"/>] with values pixel / 255.
    /// </summary>
    /// <param name="start">Index of the first image.</param>
    /// <param name="length">Number of images.</param>
    /// <returns>A tensor the caller owns (dispose it or use a dispose scope).</returns>
    public Tensor ToTensor(int start, int length)
    {
        CheckRange(start, length);
        ReadOnlySpan<byte> src = Pixels.AsSpan(start * PixelsPerImage, length * PixelsPerImage);
        Tensor result = torch.empty(new long[] { length, Channels, Rows, Cols }, ScalarType.Float32);
        try
        {
            // Convert through a small reusable buffer straight into the tensor's storage, so peak memory is
            // the tensor itself (4 bytes per pixel) rather than an extra managed float[] of the same size.
            using var accessor = result.data<float>();
            Span<float> buffer = stackalloc float[ConversionChunk];
            for (int offset = 0; offset < src.Length; offset += ConversionChunk)
            {
                int n = Math.Min(ConversionChunk, src.Length - offset);
                for (int i = 0; i < n; i++)
                    buffer[i] = src[offset + i] / 255f;
                accessor.CopyFrom(buffer[..n], 0, offset);
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private const int ConversionChunk = 4096;

    /// <summary>All labels as a new int64 CPU tensor of shape [<see cref="Count"/>] (the dtype cross-entropy expects).</summary>
    /// <returns>A tensor the caller owns.</returns>
    public Tensor LabelsToTensor() => LabelsToTensor(0, Count);

    /// <summary>Labels <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/> - 1 as a new int64 CPU tensor of shape [<paramref name="length"/>].</summary>
    /// <param name="start">Index of the first label.</param>
    /// <param name="length">Number of labels.</param>
    /// <returns>A tensor the caller owns.</returns>
    public Tensor LabelsToTensor(int start, int length)
    {
        CheckRange(start, length);
        var values = new long[length];
        for (int i = 0; i < length; i++)
            values[i] = Labels[start + i];
        return torch.tensor(values, new long[] { length });
    }

    private void CheckRange(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Count - start);
    }
}
