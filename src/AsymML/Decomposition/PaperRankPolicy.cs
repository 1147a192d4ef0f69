namespace AsymML.Decomposition;

/// <summary>Section 4.2 of the paper: r = 1 at the first convolution, doubled at each following convolution
/// (VGG) or residual block (ResNet), i.e. r = 2^stage, at most 32.</summary>
public sealed class PaperRankPolicy : RankPolicy
{
    /// <inheritdoc />
    protected override string BaseName => "paper";

    /// <inheritdoc />
    protected override (int Rank, string Reason) Requested(ConvLayerShape layer, Func<ConvLayerShape, TorchSharp.torch.Tensor>? calibrationInput)
    {
        int rank = layer.Stage >= 5 ? PaperMaxRank : Math.Min(PaperMaxRank, 1 << Math.Max(0, layer.Stage));
        return (rank, layer.Stage >= 5 ? $"paper: stage {layer.Stage}, 2^{layer.Stage} capped at {PaperMaxRank}" : $"paper: 2^{layer.Stage}");
    }
}
