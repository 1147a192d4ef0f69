using AsymML.Convolution;

namespace AsymML.Enclave.Convolution;

/// <summary>
/// Picks the cheapest <see cref="TrustedConvolutionStrategy"/> for a shape. In multiply-adds the factored forms cost
/// r/N of the plain convolution (plus the per-sample kernels, B·M·N·r·kh·kw, negligible) and materialising costs
/// the whole convolution (plus U·V, B·N·r·H·W). But the factored forms run at a lower rate: a grouped convolution
/// with r channels per group, or a bmm over unfolded maps, reaches only about a third of a dense convolution's
/// throughput (measured on CPU, B = 32, N = M ∈ {32, 64, 128}, 16×16 to 32×32, k ∈ {3, 5}; 1 thread). So:
/// <list type="number">
/// <item>r/N &gt; <see cref="MaterializeAboveRankShare"/> (1/3): <see cref="TrustedConvolutionStrategy.Materialized"/>.
/// Grouped convolutions with ≥ 32 channels per group were also erratic (2–15× a dense convolution).</item>
/// <item>otherwise r ≤ <see cref="UnfoldMaxRank"/> (4): <see cref="TrustedConvolutionStrategy.UnfoldBmm"/>, whose
/// unfolded copy (B·r·kh·kw·Ho·Wo values) is small and whose single bmm beats a grouped convolution with so few
/// channels per group; its memory grows as r·kh·kw, so it loses quickly beyond.</item>
/// <item>otherwise <see cref="TrustedConvolutionStrategy.GroupedConvolution"/>.</item>
/// </list>
/// The same rule serves Eq. 4 and Eq. 5: their measured ratios were alike. Callers can always pass a strategy.
/// </summary>
public static class TrustedConvolutionCostModel
{
    /// <summary>Above this share r/N, forming U·V and running one dense convolution is cheaper.</summary>
    public const double MaterializeAboveRankShare = 1.0 / 3.0;

    /// <summary>Up to this rank (and r/N within <see cref="MaterializeAboveRankShare"/>), unfold + bmm is cheapest.</summary>
    public const int UnfoldMaxRank = 4;

    /// <summary>The strategy <see cref="TrustedConvolution.Forward(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, long, long, ConvGeometry, TrustedConvolutionStrategy?)"/>
    /// uses for <paramref name="shape"/> when none is given.</summary>
    public static TrustedConvolutionStrategy ChooseForward(TrustedConvolutionShape shape) => Choose(shape);

    /// <summary>The strategy <see cref="TrustedConvolution.WeightGradient(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, long, long, long[], ConvGeometry, TrustedConvolutionStrategy?)"/>
    /// uses for <paramref name="shape"/> when none is given.</summary>
    public static TrustedConvolutionStrategy ChooseWeightGradient(TrustedConvolutionShape shape) => Choose(shape);

    private static TrustedConvolutionStrategy Choose(TrustedConvolutionShape shape)
    {
        if (shape.Rank > MaterializeAboveRankShare * shape.InChannels)
            return TrustedConvolutionStrategy.Materialized;
        return shape.Rank <= UnfoldMaxRank ? TrustedConvolutionStrategy.UnfoldBmm : TrustedConvolutionStrategy.GroupedConvolution;
    }
}
