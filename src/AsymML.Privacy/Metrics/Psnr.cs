using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Privacy.Metrics;

/// <summary>Peak signal-to-noise ratio 10·log10(L² / MSE) in dB, per image, for images whose values span the range L
/// (1 for pixels in [0, 1]). Identical images give +∞.</summary>
public static class Psnr
{
    /// <summary>PSNR of each image pair of [B, …] tensors of equal shape (one image may be given without B).</summary>
    /// <param name="images">The reconstructions.</param>
    /// <param name="references">The true images.</param>
    /// <param name="dataRange">L, the range of the values.</param>
    /// <returns>float64 CPU tensor [B] in dB (B = 1 for a single image of 2 or 3 dimensions).</returns>
    /// <exception cref="ArgumentException">Shapes differ or the range is not positive.</exception>
    public static Tensor PerImage(Tensor images, Tensor references, double dataRange = 1.0)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(references);
        if (!(dataRange > 0) || double.IsInfinity(dataRange))
            throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "The data range must be a finite number > 0.");
        if (!images.shape.SequenceEqual(references.shape))
            throw new ArgumentException($"PSNR compares images of one shape; got [{string.Join(", ", images.shape)}] and [{string.Join(", ", references.shape)}].", nameof(references));
        using var scope = NewDisposeScope();
        Tensor x = images.detach().cpu().to(ScalarType.Float64), y = references.detach().cpu().to(ScalarType.Float64);
        long batch = images.dim() == 4 ? images.shape[0] : 1;
        Tensor mse = (x - y).square().reshape(batch, -1).mean([1L]);
        return (10 * (dataRange * dataRange / mse).log10()).MoveToOuterDisposeScope();
    }

    /// <summary>The mean over images of <see cref="PerImage"/> (+∞ if any pair is identical).</summary>
    public static double Mean(Tensor images, Tensor references, double dataRange = 1.0)
    {
        using Tensor values = PerImage(images, references, dataRange);
        return values.mean().ToDouble();
    }
}
