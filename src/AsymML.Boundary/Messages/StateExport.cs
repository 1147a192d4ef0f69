namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: the weights and BatchNorm running statistics, by state-dict name. The running statistics
/// are averages over every training batch, aggregates of the same kind as the weights the host already holds; the
/// per-batch statistics never leave.</summary>
public sealed record StateExport(IReadOnlyList<NamedTensor> State) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.StateExport;

    /// <inheritdoc />
    public override IReadOnlyList<TorchSharp.torch.Tensor> Tensors => State.Select(w => w.Value).ToArray();
}
