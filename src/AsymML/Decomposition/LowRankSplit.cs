using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>
/// Splits a batch of convolution inputs X [B, N, H, W] into a low-rank part U·V (r principal channels per sample,
/// kept in the TEE) and the residual X − U·V (sent to the untrusted accelerator). Whatever the method and however
/// rough the approximation, U·V + residual = X to float32 rounding, so the merged convolution stays exact; the
/// method only decides how much of X's energy (and information) stays inside.
/// </summary>
public static class LowRankSplit
{
    /// <summary>Splits <paramref name="x"/> [B, N, H, W] (float32 or float64) as <paramref name="options"/> say.
    /// The input is not modified. All work runs under a dispose scope; only the returned factors survive.</summary>
    /// <exception cref="ArgumentException">Wrong shape or dtype, rank &lt; 1, iterations &lt; 1, or a warm start
    /// whose shape does not fit.</exception>
    public static LowRankFactors Split(Tensor x, LowRankSplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(options);
        Validate(x, options);
        int rank = CappedRank(x, options.Rank);
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1];
        Tensor matrix = x.reshape(b, n, -1);
        (Tensor u, Tensor v, Tensor residual) = options.Method switch
        {
            SplitMethod.Lightweight => LightweightSvd.Run(matrix, rank, options),
            SplitMethod.Blocked => BlockPowerSvd.Run(matrix, rank, options),
            SplitMethod.Exact => ExactSvd.Run(matrix, rank),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Method, "unknown split method"),
        };
        Tensor residual4 = residual.view(x.shape);
        return new LowRankFactors(u.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope(),
            residual4.MoveToOuterDisposeScope(), options.Method);
    }

    /// <summary>The rank a split of <paramref name="x"/> [B, N, H, W] really uses: min(r, N, H·W).</summary>
    public static int CappedRank(Tensor x, int requestedRank)
    {
        long hw = x.shape[2] * x.shape[3];
        return (int)Math.Min(requestedRank, Math.Min(x.shape[1], hw));
    }

    /// <summary>Share of each sample's energy kept in the TEE: 1 − ‖X^U‖²_F / ‖X‖²_F, shape [B] (float64).
    /// A zero sample counts as fully kept (1). This is the objective of Eq. 6, valid for non-orthogonal factors.</summary>
    public static Tensor CapturedEnergy(Tensor x, LowRankFactors factors)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(factors);
        using var scope = NewDisposeScope();
        Tensor total = x.square().flatten(1).sum(1, type: ScalarType.Float64);
        Tensor left = factors.Residual.square().flatten(1).sum(1, type: ScalarType.Float64);
        Tensor share = where(total > 0, 1 - left / total.clamp_min(double.Epsilon), ones_like(total));
        return share.MoveToOuterDisposeScope();
    }

    private static void Validate(Tensor x, LowRankSplitOptions options)
    {
        if (x.dim() != 4)
            throw new ArgumentException($"X must be [B, N, H, W]; got {x.dim()} dimensions ({Shape(x.shape)}).", nameof(x));
        if (x.dtype != ScalarType.Float32 && x.dtype != ScalarType.Float64)
            throw new ArgumentException($"X must be float32 or float64; got {x.dtype}.", nameof(x));
        if (x.numel() == 0)
            throw new ArgumentException($"X is empty ({Shape(x.shape)}).", nameof(x));
        if (options.Rank < 1)
            throw new ArgumentException($"Rank must be at least 1; got {options.Rank}.", nameof(options));
        if (options.MaxIterations < 1)
            throw new ArgumentException($"MaxIterations must be at least 1; got {options.MaxIterations}.", nameof(options));
        if (options.Oversampling < 0)
            throw new ArgumentException($"Oversampling must be at least 0; got {options.Oversampling}.", nameof(options));
        if (!(options.Epsilon > 0))
            throw new ArgumentException($"Epsilon must be positive; got {options.Epsilon}.", nameof(options));
        if (options.InitialV is { } v0)
        {
            long hw = x.shape[2] * x.shape[3];
            if (v0.dim() != 3 || (v0.shape[0] != 1 && v0.shape[0] != x.shape[0]) || v0.shape[2] != hw)
                throw new ArgumentException(
                    $"InitialV must be [B or 1, r0, H·W] = [{x.shape[0]} or 1, r0, {hw}]; got {Shape(v0.shape)}.", nameof(options));
        }
    }

    /// <summary>X − U·V in one fused call. TorchSharp's <c>a.baddbmm(b, mat)</c> computes mat + a·b (the receiver
    /// is the first factor, not the matrix added to), hence the order.</summary>
    internal static Tensor SubtractProduct(Tensor x, Tensor u, Tensor v) => u.baddbmm(v, x, beta: 1, alpha: -1);

    internal static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
