namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: batch-summed gradients by parameter name: dW_T for split convolutions (the host adds
/// its dW_U), full gradients for parameters computed inside (BatchNorm, Linear, convolutions run fully inside).</summary>
public sealed record WeightGradients(IReadOnlyList<NamedTensor> Gradients) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.WeightGradients;

    /// <inheritdoc />
    public override IReadOnlyList<TorchSharp.torch.Tensor> Tensors => Gradients.Select(g => g.Value).ToArray();
}
