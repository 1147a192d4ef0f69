using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Privacy.Metrics;

/// <summary>
/// The structural similarity index of Wang, Bovik, Sheikh and Simoncelli (IEEE TIP 2004) in its standard form: local
/// means, variances and the covariance weighted by an 11×11 circular Gaussian window of σ = 1.5 (normalised to sum
/// 1), K1 = 0.01, K2 = 0.03, C1 = (K1·L)², C2 = (K2·L)² for the dynamic range L, the SSIM map over the positions
/// where the window fits inside the image ("valid", as the authors' <c>ssim_index.m</c>), averaged per image (and
/// over its channels). Variances are the window-weighted population moments (no sample-size correction), so the
/// figure equals scikit-image's <c>structural_similarity(gaussian_weights=True, sigma=1.5,
/// use_sample_covariance=False, data_range=L)</c>. Computed in float64 whatever the input type.
/// </summary>
public static class Ssim
{
    /// <summary>Side of the Gaussian window.</summary>
    public const int WindowSize = 11;

    /// <summary>Standard deviation of the Gaussian window, in pixels.</summary>
    public const double WindowSigma = 1.5;

    /// <summary>Luminance stabiliser K1.</summary>
    public const double K1 = 0.01;

    /// <summary>Contrast stabiliser K2.</summary>
    public const double K2 = 0.03;

    /// <summary>SSIM of each image pair: <paramref name="images"/> and <paramref name="references"/> are
    /// [B, C, H, W] (or [C, H, W] / [H, W] for one image) of equal shape, H and W ≥ <see cref="WindowSize"/>.</summary>
    /// <param name="images">The reconstructions (any float type, any device).</param>
    /// <param name="references">The true images.</param>
    /// <param name="dataRange">L, the range of the values (1 for pixels in [0, 1]).</param>
    /// <returns>float64 CPU tensor [B] of SSIM values in [−1, 1]; 1 only for identical images.</returns>
    /// <exception cref="ArgumentException">Shapes differ, an image is smaller than the window, or the range is not positive.</exception>
    public static Tensor PerImage(Tensor images, Tensor references, double dataRange = 1.0)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(references);
        if (!(dataRange > 0) || double.IsInfinity(dataRange))
            throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "The data range must be a finite number > 0.");
        if (!images.shape.SequenceEqual(references.shape))
            throw new ArgumentException($"SSIM compares images of one shape; got [{string.Join(", ", images.shape)}] and [{string.Join(", ", references.shape)}].", nameof(references));
        using var scope = NewDisposeScope();
        Tensor x = AsBatch(images), y = AsBatch(references);
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        if (h < WindowSize || w < WindowSize)
            throw new ArgumentException($"SSIM with the standard {WindowSize}×{WindowSize} window needs images of at least {WindowSize}×{WindowSize} pixels; got {h}×{w}.", nameof(images));
        // Each channel is filtered on its own: fold channels into the batch.
        x = x.reshape(b * c, 1, h, w);
        y = y.reshape(b * c, 1, h, w);
        Tensor window = Window();
        Tensor Filter(Tensor t) => nn.functional.conv2d(t, window);
        Tensor muX = Filter(x), muY = Filter(y);
        Tensor muXX = muX * muX, muYY = muY * muY, muXY = muX * muY;
        Tensor sigmaXX = Filter(x * x) - muXX, sigmaYY = Filter(y * y) - muYY, sigmaXY = Filter(x * y) - muXY;
        double c1 = Math.Pow(K1 * dataRange, 2), c2 = Math.Pow(K2 * dataRange, 2);
        Tensor map = (2 * muXY + c1) * (2 * sigmaXY + c2) / ((muXX + muYY + c1) * (sigmaXX + sigmaYY + c2));
        return map.reshape(b, -1).mean([1L]).MoveToOuterDisposeScope();
    }

    /// <summary>The mean over images of <see cref="PerImage"/>.</summary>
    public static double Mean(Tensor images, Tensor references, double dataRange = 1.0)
    {
        using Tensor values = PerImage(images, references, dataRange);
        return values.mean().ToDouble();
    }

    /// <summary>The 11×11 Gaussian window (σ 1.5, sum 1), float64 [1, 1, 11, 11].</summary>
    public static Tensor Window()
    {
        var g = new double[WindowSize];
        int radius = WindowSize / 2;
        for (int i = 0; i < WindowSize; i++)
            g[i] = Math.Exp(-(i - radius) * (i - radius) / (2 * WindowSigma * WindowSigma));
        double sum = g.Sum();
        var w = new double[WindowSize * WindowSize];
        for (int i = 0; i < WindowSize; i++)
            for (int j = 0; j < WindowSize; j++)
                w[i * WindowSize + j] = g[i] * g[j] / (sum * sum);
        return tensor(w, [1, 1, WindowSize, WindowSize], ScalarType.Float64);
    }

    private static Tensor AsBatch(Tensor t)
    {
        Tensor d = t.detach().cpu().to(ScalarType.Float64);
        return t.dim() switch
        {
            2 => d.reshape(1, 1, t.shape[0], t.shape[1]),
            3 => d.unsqueeze(0),
            4 => d,
            _ => throw new ArgumentException($"SSIM takes [H, W], [C, H, W] or [B, C, H, W] images; got {t.dim()} dimensions.", nameof(t)),
        };
    }
}
