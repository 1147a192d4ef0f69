using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AsymML.Convolution;

/// <summary>Convolution gradients as im2col / col2im plus one matrix product (BLAS), never touching oneDNN's
/// convolution kernels. Arguments already validated.</summary>
internal static class ConvolutionIm2Col
{
    /// <summary>dX = col2im(Wᵀ [N·kh·kw, M] × dY_b [M, Ho·Wo]).</summary>
    internal static Tensor InputGradient(Tensor dY, Tensor weight, long[] inputShape, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        long b = dY.shape[0], m = dY.shape[1], kh = weight.shape[2], kw = weight.shape[3];
        Tensor columns = weight.reshape(m, -1).t().matmul(dY.reshape(b, m, -1));
        Tensor dx = F.fold(columns, (inputShape[2], inputShape[3]), (kh, kw), dilation: (g.DilationH, g.DilationW),
            padding: (g.PaddingH, g.PaddingW), stride: (g.StrideH, g.StrideW));
        return dx.MoveToOuterDisposeScope();
    }

    /// <summary>dW = Σ_b dY_b [M, Ho·Wo] × im2col(X_b)ᵀ [Ho·Wo, N·kh·kw].</summary>
    internal static Tensor WeightGradient(Tensor input, Tensor dY, long[] weightShape, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        Tensor columns = Unfold(input, weightShape[2], weightShape[3], g);
        Tensor perSample = dY.reshape(dY.shape[0], dY.shape[1], -1).bmm(columns.transpose(1, 2));
        return perSample.sum(dim: 0).reshape(weightShape).MoveToOuterDisposeScope();
    }

    /// <summary>im2col of [B, C, H, W]: [B, C·kh·kw, Ho·Wo], channel-major like a flattened kernel [C, kh, kw].</summary>
    internal static Tensor Unfold(Tensor maps, long kh, long kw, ConvGeometry g) =>
        F.unfold(maps, (kh, kw), dilation: (g.DilationH, g.DilationW), padding: (g.PaddingH, g.PaddingW),
            stride: (g.StrideH, g.StrideW));
}
