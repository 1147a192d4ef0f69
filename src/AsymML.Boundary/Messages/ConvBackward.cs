using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: dY [B, M, H_out, W_out] of convolution <see cref="ConvLayer"/>. The host answers with dX
/// when <see cref="NeedInputGradient"/> (not for the network's first layer) and keeps dW_U = grad_W(X^U, dY).</summary>
public sealed record ConvBackward(string ConvLayer, Tensor OutputGradient, bool NeedInputGradient) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ConvBackward;

    /// <inheritdoc />
    public override string Layer => ConvLayer;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => [OutputGradient];
}
