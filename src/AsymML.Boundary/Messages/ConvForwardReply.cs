using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: Y_U = conv(X^U, W) [B, M, H_out, W_out], without bias (the enclave adds it once).</summary>
public sealed record ConvForwardReply(string ConvLayer, Tensor Output) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ConvForwardReply;

    /// <inheritdoc />
    public override string Layer => ConvLayer;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => [Output];
}
