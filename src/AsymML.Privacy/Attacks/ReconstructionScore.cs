using TorchSharp;
using AsymML.Privacy.Metrics;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>How close reconstructions are to the true images: mean SSIM (<see cref="Metrics.Ssim"/>) and mean PSNR
/// (<see cref="Metrics.Psnr"/>, dB) over <see cref="Images"/> images with pixel values in [0, 1].</summary>
/// <param name="Ssim">Mean SSIM (1 = identical).</param>
/// <param name="Psnr">Mean PSNR in dB.</param>
/// <param name="SsimStd">Standard deviation of the per-image SSIM (population).</param>
/// <param name="Images">Images compared.</param>
public sealed record ReconstructionScore(double Ssim, double Psnr, double SsimStd, int Images)
{
    /// <summary>Scores <paramref name="reconstructions"/> against <paramref name="truth"/>, both [B, C, H, W] in [0, 1]
    /// (reconstructions are clamped to [0, 1] first: an attacker knows the pixel range).</summary>
    public static ReconstructionScore Of(Tensor reconstructions, Tensor truth)
    {
        ArgumentNullException.ThrowIfNull(reconstructions);
        ArgumentNullException.ThrowIfNull(truth);
        using var scope = NewDisposeScope();
        Tensor clamped = reconstructions.detach().clamp(0, 1);
        Tensor ssim = Metrics.Ssim.PerImage(clamped, truth);
        Tensor psnr = Metrics.Psnr.PerImage(clamped, truth);
        return new ReconstructionScore(ssim.mean().ToDouble(), psnr.mean().ToDouble(),
            ssim.numel() > 1 ? ssim.std(unbiased: false).ToDouble() : 0, (int)truth.shape[0]);
    }
}
