using AsymML.Data;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>Small helpers on image sets: slices, pixel tensors, normalised batches as the enclave makes them.</summary>
public static class ImageSets
{
    /// <summary>Images <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1 of
    /// <paramref name="set"/> (copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the set.</exception>
    public static LabeledImages Slice(LabeledImages set, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, set.Count - start);
        return new LabeledImages(set.Pixels.AsSpan(start * set.PixelsPerImage, count * set.PixelsPerImage).ToArray(),
            set.Labels.AsSpan(start, count).ToArray(), count, set.Channels, set.Rows, set.Cols, set.ClassNames);
    }

    /// <summary>Pixels of samples <paramref name="indices"/> as float32 [B, C, H, W] in [0, 1] (what reconstructions are
    /// scored against).</summary>
    public static Tensor Pixels(LabeledImages set, ReadOnlySpan<long> indices)
    {
        ArgumentNullException.ThrowIfNull(set);
        var pixels = new byte[indices.Length * set.PixelsPerImage];
        for (int i = 0; i < indices.Length; i++)
            set.GetImage((int)indices[i]).CopyTo(pixels.AsSpan(i * set.PixelsPerImage));
        return new LabeledImages(pixels, new byte[indices.Length], indices.Length, set.Channels, set.Rows, set.Cols).ToTensor();
    }

    /// <summary>0 … n − 1.</summary>
    public static long[] Range(int start, int count) => Enumerable.Range(start, count).Select(i => (long)i).ToArray();

    /// <summary>The mean image of <paramref name="set"/>, float32 [1, C, H, W] in [0, 1].</summary>
    public static Tensor MeanImage(LabeledImages set)
    {
        ArgumentNullException.ThrowIfNull(set);
        using var scope = NewDisposeScope();
        return set.ToTensor().mean([0L], keepdim: true).MoveToOuterDisposeScope();
    }
}
