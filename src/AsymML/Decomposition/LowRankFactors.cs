using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>
/// The result of splitting X [B, N, H, W]: X = U·V + Residual per sample. U·V (X^T) is private and stays in
/// the TEE; <see cref="Residual"/> (X^U) is what the untrusted accelerator may see. Owns its three tensors.
/// </summary>
public sealed class LowRankFactors : IDisposable
{
    internal LowRankFactors(Tensor u, Tensor v, Tensor residual, SplitMethod method)
    {
        U = u;
        V = v;
        Residual = residual;
        Method = method;
    }

    /// <summary>Left factors [B, N, r] (mixing weights of the r principal maps per input channel). Private.</summary>
    public Tensor U { get; }

    /// <summary>Right factors [B, r, H·W]: the r principal maps. Private.</summary>
    public Tensor V { get; }

    /// <summary>X^U = X − U·V, [B, N, H, W]: the high-rank residual for the untrusted side.</summary>
    public Tensor Residual { get; }

    /// <summary>The method that produced the factors.</summary>
    public SplitMethod Method { get; }

    /// <summary>The rank actually used: r capped at min(N, H·W).</summary>
    public int Rank => (int)U.shape[2];

    /// <summary>X^T = U·V reshaped to [B, N, H, W] (a new tensor).</summary>
    public Tensor LowRankPart() => U.bmm(V).view(Residual.shape);

    /// <inheritdoc />
    public void Dispose()
    {
        U.Dispose();
        V.Dispose();
        Residual.Dispose();
    }
}
