using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: resume from a state the enclave exported earlier (<see cref="StateExport"/>, kept by the
/// host in a checkpoint): weights and buffers, optimizer state and the enclave's tag. In a session with the data
/// owner's key the enclave loads it only if the tag verifies; without a key it is unauthenticated.</summary>
/// <param name="State">Weights and buffers by state-dict name.</param>
/// <param name="OptimizerState">uint8 [n]: the optimizer state exported with them, or uint8 [0] to keep the enclave's
/// fresh optimizer (inference).</param>
/// <param name="Tag">uint8 [64]: the enclave's two tags as exported, or uint8 [0] for an unauthenticated state.</param>
public sealed record LoadState(IReadOnlyList<NamedTensor> State, Tensor OptimizerState, Tensor Tag) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.LoadState;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => State.Select(w => w.Value).Append(OptimizerState).Append(Tag).ToArray();
}
