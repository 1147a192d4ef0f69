namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: public weights (initial, or after an optimizer step), by parameter name.</summary>
public sealed record WeightsMessage(IReadOnlyList<NamedTensor> Weights) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.Weights;

    /// <inheritdoc />
    public override IReadOnlyList<TorchSharp.torch.Tensor> Tensors => Weights.Select(w => w.Value).ToArray();
}
