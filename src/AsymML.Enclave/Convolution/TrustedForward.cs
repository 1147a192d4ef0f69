using AsymML.Convolution;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AsymML.Enclave.Convolution;

/// <summary>The three evaluations of Eq. 4, Y_T = conv(U·V, W). Arguments already validated: U [B, N, r],
/// V [B, r, H·W], W [M, N, kh, kw]. Each returns a new [B, M, Ho, Wo] tensor and disposes its intermediates.</summary>
internal static class TrustedForward
{
    /// <summary>K_b = W ×_N U_b for every sample: [B, M, r, kh·kw] with K[b, m, j, κ] = Σ_n W[m, n, κ] U[b, n, j].</summary>
    internal static Tensor PerSampleKernels(Tensor u, Tensor weight) =>
        einsum("mnk,bnr->bmrk", weight.reshape(weight.shape[0], weight.shape[1], -1), u);

    /// <summary>conv(V_b, K_b) for all b at once: V as [1, B·r, H, W], kernels [B·M, r, kh, kw], groups = B.</summary>
    internal static Tensor Grouped(Tensor u, Tensor v, Tensor weight, long height, long width, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        long b = u.shape[0], r = u.shape[2], m = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
        Tensor kernels = PerSampleKernels(u, weight).reshape(b * m, r, kh, kw);
        Tensor y = F.conv2d(v.reshape(1, b * r, height, width), kernels, strides: g.Strides, padding: g.Paddings,
            dilation: g.Dilations, groups: b);
        return y.view(b, m, y.shape[2], y.shape[3]).MoveToOuterDisposeScope();
    }

    /// <summary>K_b [M, r·kh·kw] × unfold(V_b) [r·kh·kw, Ho·Wo] for all b in one bmm.</summary>
    internal static Tensor UnfoldBmm(Tensor u, Tensor v, Tensor weight, long height, long width, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        long b = u.shape[0], r = u.shape[2], m = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
        (long ho, long wo) = g.OutputSize(height, width, kh, kw);
        Tensor columns = Unfold(v.reshape(b, r, height, width), kh, kw, g);
        Tensor y = PerSampleKernels(u, weight).reshape(b, m, -1).bmm(columns);
        return y.view(b, m, ho, wo).MoveToOuterDisposeScope();
    }

    /// <summary>conv(U·V, W) with X^T formed explicitly.</summary>
    internal static Tensor Materialized(Tensor u, Tensor v, Tensor weight, long height, long width, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        Tensor x = u.bmm(v).view(u.shape[0], u.shape[1], height, width);
        return F.conv2d(x, weight, strides: g.Strides, padding: g.Paddings, dilation: g.Dilations).MoveToOuterDisposeScope();
    }

    /// <summary>im2col (shared with the accelerator's gradients, see <see cref="ConvolutionIm2Col"/>).</summary>
    internal static Tensor Unfold(Tensor maps, long kh, long kw, ConvGeometry g) => ConvolutionIm2Col.Unfold(maps, kh, kw, g);
}
