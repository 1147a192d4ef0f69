using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Data;

/// <summary>
/// A set of single-channel 8-bit images with one class label each (for example a Fashion-MNIST split).
/// Pixels are kept as bytes (1 byte per pixel) and only converted to float tensors on request.
/// </summary>
public sealed class LabeledImages
{
    /// <summary>Creates the set, checking that the array lengths match the shape.</summary>
    /// <param name="pixels">Pixel intensities 0..255, <paramref name="count"/> x <paramref name="rows"/> x <paramref name="cols"/>, row-major.</param>
    /// <param name="labels">One class label per image (<paramref name="count"/> entries).</param>
    /// <param name="count">Number of images.</param>
    /// <param name="rows">Image height in pixels.</param>
    /// <param name="cols">Image width in pixels.</param>
    /// <exception cref="ArgumentException">An array length does not match the shape.</exception>
    public LabeledImages(byte[] pixels, byte[] labels, int count, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if ((long)count * rows * cols != pixels.LongLength)
            throw new ArgumentException($"{count} images of {rows}x{cols} need {(long)count * rows * cols} pixels but {pixels.Length} were given.", nameof(pixels));
        if (labels.Length != count)
            throw new ArgumentException($"{count} images need {count} labels but {labels.Length} were given.", nameof(labels));
        Pixels = pixels;
        Labels = labels;
        Count = count;
        Rows = rows;
        Cols = cols;
    }

    /// <summary>Pixel intensities 0..255; length <see cref="Count"/> x <see cref="Rows"/> x <see cref="Cols"/>, image-major then row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Class label of each image; length <see cref="Count"/>.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Cols { get; }

    /// <summary>Pixels per image (<see cref="Rows"/> x <see cref="Cols"/>).</summary>
    public int PixelsPerImage => Rows * Cols;

    /// <summary>The pixels of image <paramref name="index"/>, row-major (<see cref="PixelsPerImage"/> bytes).</summary>
    /// <param name="index">Image index, 0 ≤ index &lt; <see cref="Count"/>.</param>
    public ReadOnlySpan<byte> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>
    /// All images as a new float32 CPU tensor of shape [<see cref="Count"/>, 1, <see cref="Rows"/>, <see cref="Cols"/>]
    /// with values pixel / 255 in [0, 1]. Uses 4 bytes per pixel; see <see cref="ToTensor(int, int)"/> for batches.
    /// </summary>
    /// <returns>A tensor the caller owns (dispose it or use a dispose scope).</returns>
    public Tensor ToTensor() => ToTensor(0, Count);

    /// <summary>
    /// Images <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/> - 1 as a new float32 CPU
    /// tensor of shape [<paramref name="length"/>, 1, <see cref="Rows"/>, <see cref="Cols"/>] with values pixel / 255.
    /// </summary>
    /// <param name="start">Index of the first image.</param>
    /// <param name="length">Number of images.</param>
    /// <returns>A tensor the caller owns (dispose it or use a dispose scope).</returns>
    public Tensor ToTensor(int start, int length)
    {
        CheckRange(start, length);
        ReadOnlySpan<byte> src = Pixels.AsSpan(start * PixelsPerImage, length * PixelsPerImage);
        Tensor result = torch.empty(new long[] { length, 1, Rows, Cols }, ScalarType.Float32);
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
