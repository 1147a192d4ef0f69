using static TorchSharp.torch;

using AsymML.Convolution;

namespace AsymML.Enclave.Convolution;

/// <summary>The three evaluations of Eq. 5, dW_T = Σ_b conv_weight_grad(V_b, dY_b) ×_r U_bᵀ. Arguments already
/// validated: U [B, N, r], V [B, r, H·W], dY [B, M, Ho, Wo]. Each returns a new [M, N, kh, kw] tensor.</summary>
internal static class TrustedWeightGradient
{
    /// <summary>The r-channel weight gradients G_b [M, r, kh, kw] of all samples in one grouped convolution_backward
    /// (V as [1, B·r, H, W], dY as [1, B·M, Ho, Wo], groups = B), then contracted with U.</summary>
    internal static Tensor Grouped(Tensor u, Tensor v, Tensor dY, long height, long width, long[] weightShape, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        long b = u.shape[0], r = u.shape[2], m = weightShape[0];
        Tensor perSample = ConvolutionBackwardScript.WeightGradient(v.reshape(1, b * r, height, width),
            dY.reshape(1, b * m, dY.shape[2], dY.shape[3]), [b * m, r, weightShape[2], weightShape[3]], g, groups: (int)b);
        return Contract(perSample.view(b, m, r, -1), u, weightShape).MoveToOuterDisposeScope();
    }

    /// <summary>G_b = dY_b [M, Ho·Wo] × unfold(V_b)ᵀ [Ho·Wo, r·kh·kw] for all b in one bmm, then contracted with U.</summary>
    internal static Tensor UnfoldBmm(Tensor u, Tensor v, Tensor dY, long height, long width, long[] weightShape, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        long b = u.shape[0], r = u.shape[2], m = weightShape[0];
        Tensor columns = TrustedForward.Unfold(v.reshape(b, r, height, width), weightShape[2], weightShape[3], g);
        Tensor perSample = dY.reshape(b, m, -1).bmm(columns.transpose(1, 2));
        return Contract(perSample.view(b, m, r, -1), u, weightShape).MoveToOuterDisposeScope();
    }

    /// <summary>conv_weight_grad(U·V, dY) with X^T formed explicitly.</summary>
    internal static Tensor Materialized(Tensor u, Tensor v, Tensor dY, long height, long width, long[] weightShape, ConvGeometry g)
    {
        using var scope = NewDisposeScope();
        Tensor x = u.bmm(v).view(u.shape[0], u.shape[1], height, width);
        return ConvolutionBackwardScript.WeightGradient(x, dY, weightShape, g, groups: 1).MoveToOuterDisposeScope();
    }

    /// <summary>dW[m, n, κ] = Σ_b Σ_j G[b, m, j, κ] U[b, n, j]: one matrix product over the (b, j) pairs.</summary>
    private static Tensor Contract(Tensor perSample, Tensor u, long[] weightShape) =>
        einsum("bmrk,bnr->mnk", perSample, u).reshape(weightShape);
}
