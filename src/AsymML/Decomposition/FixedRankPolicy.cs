namespace AsymML.Decomposition;

/// <summary>The same r at every convolution (then capped per layer).</summary>
public sealed class FixedRankPolicy : RankPolicy
{
    /// <summary>Creates the policy; <paramref name="rank"/> ≥ 1.</summary>
    public FixedRankPolicy(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        Rank = rank;
    }

    /// <summary>The requested r.</summary>
    public int Rank { get; }

    /// <inheritdoc />
    protected override string BaseName => $"fixed:{Rank}";

    /// <inheritdoc />
    protected override (int Rank, string Reason) Requested(ConvLayerShape layer, Func<ConvLayerShape, TorchSharp.torch.Tensor>? calibrationInput) =>
        (Rank, $"fixed {Rank}");
}
