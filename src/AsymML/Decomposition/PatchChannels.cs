using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>
/// The patch view of Theorem 3 / appendix B.1: a k × k convolution over N channels equals a 1 × 1 convolution
/// over the N·k² shifted copies ("patch-channels") of the input. Their SVD-channel entropy bounds the entropy
/// the convolution can add.
/// </summary>
public static class PatchChannels
{
    /// <summary>Patch-channel matrices of <paramref name="x"/> [B, N, H, W] for a k × k kernel, stride 1,
    /// zero padding ⌊k/2⌋ (so odd k keeps H·W positions): [B, N·k², L].</summary>
    public static Tensor Unfold(Tensor x, int kernelSize)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 4)
            throw new ArgumentException($"X must be [B, N, H, W]; got {LowRankSplit.Shape(x.shape)}.", nameof(x));
        if (kernelSize < 1)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "kernel size must be at least 1");
        return nn.functional.unfold(x, kernelSize, padding: kernelSize / 2);
    }

    /// <summary>SVD-channel entropy μ of each sample's patch-channels for a k × k kernel → [B] (float64).</summary>
    public static Tensor Entropy(Tensor x, int kernelSize)
    {
        using var patches = Unfold(x, kernelSize);
        return ChannelEntropy.Compute(patches);
    }
}
