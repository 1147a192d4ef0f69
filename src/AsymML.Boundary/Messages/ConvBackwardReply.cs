using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: dX [B, N, H, W] of a convolution input, or no tensor when it was not asked for.</summary>
public sealed record ConvBackwardReply(string ConvLayer, Tensor? InputGradient) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ConvBackwardReply;

    /// <inheritdoc />
    public override string Layer => ConvLayer;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => InputGradient is null ? [] : [InputGradient];
}
