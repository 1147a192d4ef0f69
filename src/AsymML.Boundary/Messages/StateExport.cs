namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: the weights and BatchNorm running statistics, by state-dict name, with the enclave's
/// optimizer state and a tag over both. The running statistics are averages over every training batch, aggregates
/// of the same kind as the weights the host already holds; the per-batch statistics never leave.</summary>
/// <param name="State">Weights and buffers in PyTorch's order.</param>
/// <param name="OptimizerState">The enclave optimizer's state (uint8 [n]; TorchSharp's format), or null.</param>
/// <param name="Tag">Two HMAC-SHA256 tags (uint8 [64]: over the state alone, and over state and optimizer state), keyed
/// from the data owner's key, so the
/// enclave can tell its own export from one the host rewrote; empty (uint8 [0]) in a session without a key
/// (unauthenticated); null when not given.</param>
public sealed record StateExport(IReadOnlyList<NamedTensor> State, TorchSharp.torch.Tensor? OptimizerState = null, TorchSharp.torch.Tensor? Tag = null) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.StateExport;

    /// <inheritdoc />
    public override IReadOnlyList<TorchSharp.torch.Tensor> Tensors =>
        State.Select(w => w.Value).Concat(new[] { OptimizerState, Tag }.OfType<TorchSharp.torch.Tensor>()).ToArray();
}
