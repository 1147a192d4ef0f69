namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: batch-summed gradients by parameter name, as the enclave applies them in its optimizer
/// step: dW_T for split convolutions (the host knows its own dW_U), full gradients for parameters computed inside
/// (BatchNorm, Linear, convolutions run fully inside). Public in the threat model (as in the paper and federated
/// learning); the host needs no answer to it.</summary>
public sealed record WeightGradients(IReadOnlyList<NamedTensor> Gradients) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.WeightGradients;

    /// <inheritdoc />
    public override IReadOnlyList<TorchSharp.torch.Tensor> Tensors => Gradients.Select(g => g.Value).ToArray();
}
