using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: the residual X^U [B, N, H, W] of convolution <see cref="ConvLayer"/> (noise-masked when
/// nsr &gt; 0). The host convolves it and keeps it for the weight gradient dW_U.</summary>
public sealed record ConvForward(string ConvLayer, Tensor Residual) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ConvForward;

    /// <inheritdoc />
    public override string Layer => ConvLayer;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => [Residual];
}
