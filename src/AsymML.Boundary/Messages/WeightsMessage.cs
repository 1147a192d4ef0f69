namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: the public weights of the split convolutions, by parameter name, for the accelerator to
/// convolve with: before the first step and after each of the enclave's optimizer steps. The enclave holds the
/// authoritative weights; a <see cref="WeightsMessage"/> from the host is refused by the enclave's gate.</summary>
public sealed record WeightsMessage(IReadOnlyList<NamedTensor> Weights) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.Weights;

    /// <inheritdoc />
    public override IReadOnlyList<TorchSharp.torch.Tensor> Tensors => Weights.Select(w => w.Value).ToArray();
}
