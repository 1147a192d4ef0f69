using AsymML.Decomposition;
using static TorchSharp.torch;
using AsymML.Data;

using AsymML.Convolution;

namespace AsymML.Enclave.Convolution;

/// <summary>
/// The enclave's share of a split convolution, computed from the factors of X^T = U·V without forming X^T (unless
/// that is cheaper): Eq. 4 forward Y_T = conv(U·V, W) and Eq. 5 weight gradient dW_T = conv_weight_grad(U·V, dY).
/// With Y_U = conv(X^U, W) and dW_U = conv_weight_grad(X^U, dY) from the accelerator, Y_T + Y_U = conv(X, W) and
/// dW_T + dW_U = dW exactly (to float rounding). No bias: the merge adds it once. Pure functions: inputs are not
/// modified, intermediates are disposed, the caller owns the result. Thread-safe.
/// </summary>
public static class TrustedConvolution
{
    /// <summary>Y_T [B, M, Ho, Wo] = conv(U·V, W) (Eq. 4).</summary>
    /// <param name="u">U [B, N, r].</param>
    /// <param name="v">V [B, r, H·W].</param>
    /// <param name="weight">W [M, N, kh, kw].</param>
    /// <param name="height">H of the input maps.</param>
    /// <param name="width">W of the input maps (H·W must equal V's last dimension).</param>
    /// <param name="geometry">Stride, padding and dilation.</param>
    /// <param name="strategy">Evaluation; null (default) lets <see cref="TrustedConvolutionCostModel.ChooseForward"/> pick.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or geometry does not fit; the message names it.</exception>
    public static Tensor Forward(Tensor u, Tensor v, Tensor weight, long height, long width, ConvGeometry geometry,
        TrustedConvolutionStrategy? strategy = null)
    {
        ConvChecks.Dims(weight, 4, nameof(weight), "W [M, N, kh, kw]");
        TrustedConvolutionShape shape = Check(u, v, weight, height, width, weight.shape, geometry);
        return (strategy ?? TrustedConvolutionCostModel.ChooseForward(shape)) switch
        {
            TrustedConvolutionStrategy.GroupedConvolution => TrustedForward.Grouped(u, v, weight, height, width, geometry),
            TrustedConvolutionStrategy.UnfoldBmm => TrustedForward.UnfoldBmm(u, v, weight, height, width, geometry),
            TrustedConvolutionStrategy.Materialized => TrustedForward.Materialized(u, v, weight, height, width, geometry),
            var s => throw new ArgumentOutOfRangeException(nameof(strategy), s, "unknown strategy"),
        };
    }

    /// <summary>Y_T = conv(U·V, W) for the factors of a split; H and W come from the residual's shape.</summary>
    /// <param name="factors">The split of X.</param>
    /// <param name="weight">W [M, N, kh, kw].</param>
    /// <param name="geometry">Stride, padding and dilation.</param>
    /// <param name="strategy">Evaluation; null (default) lets the cost model pick.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or geometry does not fit; the message names it.</exception>
    public static Tensor Forward(LowRankFactors factors, Tensor weight, ConvGeometry geometry,
        TrustedConvolutionStrategy? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return Forward(factors.U, factors.V, weight, factors.Residual.shape[2], factors.Residual.shape[3], geometry, strategy);
    }

    /// <summary>dW_T [M, N, kh, kw] = Σ_b conv_weight_grad(V_b, dY_b) ×_r U_bᵀ (Eq. 5), summed over the batch.</summary>
    /// <param name="u">U [B, N, r].</param>
    /// <param name="v">V [B, r, H·W].</param>
    /// <param name="outputGradient">dY [B, M, Ho, Wo].</param>
    /// <param name="height">H of the input maps.</param>
    /// <param name="width">W of the input maps (H·W must equal V's last dimension).</param>
    /// <param name="weightShape">[M, N, kh, kw].</param>
    /// <param name="geometry">Stride, padding and dilation of the forward convolution.</param>
    /// <param name="strategy">Evaluation; null (default) lets <see cref="TrustedConvolutionCostModel.ChooseWeightGradient"/> pick.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or geometry does not fit; the message names it.</exception>
    public static Tensor WeightGradient(Tensor u, Tensor v, Tensor outputGradient, long height, long width,
        long[] weightShape, ConvGeometry geometry, TrustedConvolutionStrategy? strategy = null)
    {
        ConvChecks.ShapeArray(weightShape, nameof(weightShape), "[M, N, kh, kw]");
        ConvChecks.Dims(outputGradient, 4, nameof(outputGradient), "dY [B, M, Ho, Wo]");
        TrustedConvolutionShape shape = Check(u, v, null, height, width, weightShape, geometry);
        ConvChecks.SameKind((u, nameof(u)), (outputGradient, nameof(outputGradient)));
        ConvChecks.OutputGradient(outputGradient, nameof(outputGradient), shape.Batch, shape.OutChannels, height, width,
            shape.KernelH, shape.KernelW, geometry);
        return (strategy ?? TrustedConvolutionCostModel.ChooseWeightGradient(shape)) switch
        {
            TrustedConvolutionStrategy.GroupedConvolution =>
                TrustedWeightGradient.Grouped(u, v, outputGradient, height, width, weightShape, geometry),
            TrustedConvolutionStrategy.UnfoldBmm =>
                TrustedWeightGradient.UnfoldBmm(u, v, outputGradient, height, width, weightShape, geometry),
            TrustedConvolutionStrategy.Materialized =>
                TrustedWeightGradient.Materialized(u, v, outputGradient, height, width, weightShape, geometry),
            var s => throw new ArgumentOutOfRangeException(nameof(strategy), s, "unknown strategy"),
        };
    }

    /// <summary>dW_T = Σ_b conv_weight_grad(V_b, dY_b) ×_r U_bᵀ for the factors of a split.</summary>
    /// <param name="factors">The split of X.</param>
    /// <param name="outputGradient">dY [B, M, Ho, Wo].</param>
    /// <param name="weightShape">[M, N, kh, kw].</param>
    /// <param name="geometry">Stride, padding and dilation of the forward convolution.</param>
    /// <param name="strategy">Evaluation; null (default) lets the cost model pick.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or geometry does not fit; the message names it.</exception>
    public static Tensor WeightGradient(LowRankFactors factors, Tensor outputGradient, long[] weightShape,
        ConvGeometry geometry, TrustedConvolutionStrategy? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return WeightGradient(factors.U, factors.V, outputGradient, factors.Residual.shape[2], factors.Residual.shape[3],
            weightShape, geometry, strategy);
    }

    private static TrustedConvolutionShape Check(Tensor u, Tensor v, Tensor? weight, long height, long width,
        long[] weightShape, ConvGeometry geometry)
    {
        ConvChecks.Geometry(geometry);
        ConvChecks.Dims(u, 3, nameof(u), "U [B, N, r]");
        ConvChecks.Dims(v, 3, nameof(v), "V [B, r, H·W]");
        ConvChecks.SameKind((u, nameof(u)), (v, nameof(v)));
        if (weight is not null)
            ConvChecks.SameKind((u, nameof(u)), (weight, nameof(weight)));
        if (height < 1 || width < 1)
            throw new ArgumentException($"height and width must be at least 1; got {height}×{width}.", nameof(height));
        long b = u.shape[0], n = u.shape[1], r = u.shape[2];
        ConvChecks.Equal(v.shape[0], b, nameof(v), "the batch size (U's dimension 0)");
        ConvChecks.Equal(v.shape[1], r, nameof(v), "the rank r (U's dimension 2)");
        ConvChecks.Equal(v.shape[2], height * width, nameof(v), $"the map size H·W = {height}·{width}");
        string weightName = weight is null ? nameof(weightShape) : nameof(weight);
        ConvChecks.Equal(weightShape[1], n, weightName, "the channel count N (U's dimension 1)");
        (long ho, long wo) = geometry.OutputSize(height, width, weightShape[2], weightShape[3]);
        return new TrustedConvolutionShape(b, n, weightShape[0], r, height, width, weightShape[2], weightShape[3], ho, wo);
    }
}
