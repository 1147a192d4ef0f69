namespace AsymML.Decomposition;

/// <summary>
/// What a rank policy needs to know of one convolution: its input and kernel geometry and its
/// <paramref name="Stage"/>, the paper's doubling counter (0 at the first convolution, +1 per following
/// convolution in VGG, +1 per residual block in ResNet, where all convolutions of a block share one stage).
/// </summary>
/// <param name="Name">Path of the layer in its network, e.g. <c>features.0</c> or <c>layer2.0.downsample.0</c>.</param>
/// <param name="InChannels">N.</param>
/// <param name="OutChannels">M.</param>
/// <param name="KernelSize">k (square kernels).</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding per side.</param>
/// <param name="InHeight">H of the input map.</param>
/// <param name="InWidth">W of the input map.</param>
/// <param name="Stage">Doubling counter of the paper's schedule.</param>
public sealed record ConvLayerShape(
    string Name, int InChannels, int OutChannels, int KernelSize, int Stride, int Padding,
    int InHeight, int InWidth, int Stage)
{
    /// <summary>H_out = ⌊(H + 2p − k) / s⌋ + 1.</summary>
    public int OutHeight => (InHeight + 2 * Padding - KernelSize) / Stride + 1;

    /// <summary>W_out = ⌊(W + 2p − k) / s⌋ + 1.</summary>
    public int OutWidth => (InWidth + 2 * Padding - KernelSize) / Stride + 1;

    /// <summary>The largest meaningful rank of the input matrix: min(N, H·W).</summary>
    public int MaxRank => Math.Min(InChannels, InHeight * InWidth);

    /// <summary>True when a rank-r split saves work in the TEE: the trusted part of Eq. 4 costs
    /// ∝ r·(N + H_out·W_out), the whole convolution ∝ N·H_out·W_out (both times M·k²).</summary>
    public bool SplitSaves(int rank) => (long)rank * (InChannels + (long)OutHeight * OutWidth) < (long)InChannels * OutHeight * OutWidth;
}
