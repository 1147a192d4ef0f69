using static TorchSharp.torch;

namespace AsymML.Convolution;

/// <summary>
/// Gradients of Y = conv(X, W) (groups 1, bias handled by the caller) without autograd: the pieces the untrusted
/// accelerator computes in the backward pass (dX = conv_input_grad(dY, W) and dW_U = conv_weight_grad(X^U, dY)).
/// Pure functions: inputs are not modified, intermediates are disposed, the caller owns the result (registered
/// in the caller's dispose scope, if any). Thread-safe.
/// </summary>
public static class ConvolutionGradients
{
    /// <summary>dX [B, N, H, W] = ∂L/∂X given <paramref name="outputGradient"/> dY [B, M, Ho, Wo] and
    /// <paramref name="weight"/> W [M, N, kh, kw]. The input size must be given: strided convolutions map several
    /// input sizes to one output size.</summary>
    /// <param name="outputGradient">dY [B, M, Ho, Wo].</param>
    /// <param name="weight">W [M, N, kh, kw], same dtype and device as dY.</param>
    /// <param name="inputShape">[B, N, H, W] of the forward input X.</param>
    /// <param name="geometry">Stride, padding and dilation of the forward convolution.</param>
    /// <param name="method">Algorithm; default <see cref="ConvolutionGradientMethod.ConvolutionBackward"/>.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or geometry does not fit; the message names it.</exception>
    public static Tensor InputGradient(Tensor outputGradient, Tensor weight, long[] inputShape, ConvGeometry geometry,
        ConvolutionGradientMethod method = ConvolutionGradientMethod.ConvolutionBackward)
    {
        ConvChecks.Geometry(geometry);
        ConvChecks.Dims(outputGradient, 4, nameof(outputGradient), "dY [B, M, Ho, Wo]");
        ConvChecks.Dims(weight, 4, nameof(weight), "W [M, N, kh, kw]");
        ConvChecks.ShapeArray(inputShape, nameof(inputShape), "[B, N, H, W]");
        ConvChecks.SameKind((outputGradient, nameof(outputGradient)), (weight, nameof(weight)));
        ConvChecks.Equal(inputShape[1], weight.shape[1], nameof(inputShape), "the channel count N (W's dimension 1)");
        ConvChecks.OutputGradient(outputGradient, nameof(outputGradient), inputShape[0], weight.shape[0],
            inputShape[2], inputShape[3], weight.shape[2], weight.shape[3], geometry);
        return method switch
        {
            ConvolutionGradientMethod.ConvolutionBackward =>
                ConvolutionBackwardScript.InputGradient(outputGradient, weight, inputShape, geometry, groups: 1),
            ConvolutionGradientMethod.Fallback =>
                ConvolutionFallbacks.InputGradient(outputGradient, weight, inputShape, geometry),
            ConvolutionGradientMethod.Im2Col =>
                ConvolutionIm2Col.InputGradient(outputGradient, weight, inputShape, geometry),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown gradient method"),
        };
    }

    /// <summary>dW [M, N, kh, kw] = ∂L/∂W summed over the batch, given the forward input <paramref name="input"/>
    /// X [B, N, H, W] and <paramref name="outputGradient"/> dY [B, M, Ho, Wo].</summary>
    /// <param name="input">X [B, N, H, W] (on the accelerator: the residual X^U).</param>
    /// <param name="outputGradient">dY [B, M, Ho, Wo], same dtype and device as X.</param>
    /// <param name="weightShape">[M, N, kh, kw] of the weight.</param>
    /// <param name="geometry">Stride, padding and dilation of the forward convolution.</param>
    /// <param name="method">Algorithm; default <see cref="ConvolutionGradientMethod.ConvolutionBackward"/>.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or geometry does not fit; the message names it.</exception>
    public static Tensor WeightGradient(Tensor input, Tensor outputGradient, long[] weightShape, ConvGeometry geometry,
        ConvolutionGradientMethod method = ConvolutionGradientMethod.ConvolutionBackward)
    {
        ConvChecks.Geometry(geometry);
        ConvChecks.Dims(input, 4, nameof(input), "X [B, N, H, W]");
        ConvChecks.Dims(outputGradient, 4, nameof(outputGradient), "dY [B, M, Ho, Wo]");
        ConvChecks.ShapeArray(weightShape, nameof(weightShape), "[M, N, kh, kw]");
        ConvChecks.SameKind((input, nameof(input)), (outputGradient, nameof(outputGradient)));
        ConvChecks.Equal(weightShape[1], input.shape[1], nameof(weightShape), "the channel count N (X's dimension 1)");
        ConvChecks.OutputGradient(outputGradient, nameof(outputGradient), input.shape[0], weightShape[0],
            input.shape[2], input.shape[3], weightShape[2], weightShape[3], geometry);
        return method switch
        {
            ConvolutionGradientMethod.ConvolutionBackward =>
                ConvolutionBackwardScript.WeightGradient(input, outputGradient, weightShape, geometry, groups: 1),
            ConvolutionGradientMethod.Fallback =>
                ConvolutionFallbacks.WeightGradient(input, outputGradient, weightShape, geometry),
            ConvolutionGradientMethod.Im2Col =>
                ConvolutionIm2Col.WeightGradient(input, outputGradient, weightShape, geometry),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown gradient method"),
        };
    }

    /// <summary>dX and dW together, as the accelerator needs them: dX does not depend on X's values, so with
    /// X = X^U this gives the full dX and the untrusted share dW_U in one backend call.</summary>
    /// <param name="input">X [B, N, H, W].</param>
    /// <param name="outputGradient">dY [B, M, Ho, Wo].</param>
    /// <param name="weight">W [M, N, kh, kw].</param>
    /// <param name="geometry">Stride, padding and dilation of the forward convolution.</param>
    /// <param name="method">Algorithm; default <see cref="ConvolutionGradientMethod.ConvolutionBackward"/>.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or geometry does not fit; the message names it.</exception>
    public static (Tensor InputGradient, Tensor WeightGradient) InputAndWeightGradients(Tensor input, Tensor outputGradient,
        Tensor weight, ConvGeometry geometry, ConvolutionGradientMethod method = ConvolutionGradientMethod.ConvolutionBackward)
    {
        ConvChecks.Geometry(geometry);
        ConvChecks.Dims(input, 4, nameof(input), "X [B, N, H, W]");
        ConvChecks.Dims(outputGradient, 4, nameof(outputGradient), "dY [B, M, Ho, Wo]");
        ConvChecks.Dims(weight, 4, nameof(weight), "W [M, N, kh, kw]");
        ConvChecks.SameKind((input, nameof(input)), (outputGradient, nameof(outputGradient)), (weight, nameof(weight)));
        ConvChecks.Equal(weight.shape[1], input.shape[1], nameof(weight), "the channel count N (X's dimension 1)");
        ConvChecks.OutputGradient(outputGradient, nameof(outputGradient), input.shape[0], weight.shape[0],
            input.shape[2], input.shape[3], weight.shape[2], weight.shape[3], geometry);
        return method switch
        {
            ConvolutionGradientMethod.ConvolutionBackward => ConvolutionBackwardScript.Both(input, outputGradient, weight, geometry),
            ConvolutionGradientMethod.Fallback => (
                ConvolutionFallbacks.InputGradient(outputGradient, weight, input.shape, geometry),
                ConvolutionFallbacks.WeightGradient(input, outputGradient, weight.shape, geometry)),
            ConvolutionGradientMethod.Im2Col => (
                ConvolutionIm2Col.InputGradient(outputGradient, weight, input.shape, geometry),
                ConvolutionIm2Col.WeightGradient(input, outputGradient, weight.shape, geometry)),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown gradient method"),
        };
    }
}
