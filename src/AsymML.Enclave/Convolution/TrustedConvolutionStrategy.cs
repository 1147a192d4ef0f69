using AsymML.Convolution;

namespace AsymML.Enclave.Convolution;

/// <summary>How <see cref="TrustedConvolution"/> evaluates the low-rank convolution. All three give the same result to
/// float rounding; they differ in speed (see <see cref="TrustedConvolutionCostModel"/>).</summary>
public enum TrustedConvolutionStrategy
{
    /// <summary>Forward: per-sample kernels K_b = W ×_N U_b [M, r, kh, kw] and one grouped convolution of the r
    /// maps of every V_b (groups = B). Weight gradient: the r-channel weight gradient of every sample in one grouped
    /// <c>convolution_backward</c> (groups = B), then contracted with U. Cost ∝ r.</summary>
    GroupedConvolution,

    /// <summary>Like <see cref="GroupedConvolution"/> but the per-sample convolution is a batched matrix product with
    /// the unfolded (im2col) maps of V: [M, r·kh·kw] × [r·kh·kw, Ho·Wo]. Cost ∝ r; fastest for small r.</summary>
    UnfoldBmm,

    /// <summary>X^T = U·V is formed [B, N, H, W] and convolved (forward) or differentiated (weight gradient) like any
    /// input. Cost ∝ N, independent of r: the choice when r is close to N.</summary>
    Materialized,
}
