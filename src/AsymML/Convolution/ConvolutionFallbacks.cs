using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AsymML.Convolution;

/// <summary>Convolution gradients from forward-only operators (no TorchScript): dX as a transposed convolution,
/// dW as a convolution with the batch as channels. Arguments already validated.</summary>
internal static class ConvolutionFallbacks
{
    /// <summary>dX = conv_transpose2d(dY, W). A strided convolution maps several input sizes to one output size, so
    /// output_padding = H − ((Ho − 1)·s − 2p + d(k − 1) + 1) (in [0, s − 1]) restores the exact input size.</summary>
    internal static Tensor InputGradient(Tensor dY, Tensor weight, long[] inputShape, ConvGeometry g)
    {
        long kh = weight.shape[2], kw = weight.shape[3];
        long opH = inputShape[2] - TransposedSize(dY.shape[2], kh, g.StrideH, g.PaddingH, g.DilationH);
        long opW = inputShape[3] - TransposedSize(dY.shape[3], kw, g.StrideW, g.PaddingW, g.DilationW);
        return F.conv_transpose2d(dY, weight, strides: g.Strides, padding: g.Paddings, output_padding: [opH, opW],
            dilation: g.Dilations);
    }

    /// <summary>dW[m, n, i, j] = Σ_b Σ_o dY[b, m, o] · X_pad[b, n, o·s + i·d]: a convolution of X as [N, B, H, W]
    /// (batch as channels) with dY as kernels [M, B, Ho, Wo], stride and dilation swapped. Its output can exceed
    /// k×k when the strided windows leave rows unused; those are cut off.</summary>
    internal static Tensor WeightGradient(Tensor input, Tensor dY, long[] weightShape, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        Tensor grad = F.conv2d(input.transpose(0, 1), dY.transpose(0, 1), strides: g.Dilations, padding: g.Paddings,
            dilation: g.Strides);
        Tensor result = grad.narrow(2, 0, weightShape[2]).narrow(3, 0, weightShape[3]).transpose(0, 1).contiguous();
        return result.MoveToOuterDisposeScope();
    }

    private static long TransposedSize(long outSize, long kernel, int stride, int padding, int dilation) =>
        (outSize - 1) * stride - 2L * padding + dilation * (kernel - 1) + 1;
}
