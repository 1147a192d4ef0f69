using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: one step's input [B, C, H, W] and labels [B] (int64). Plaintext here; in a real
/// deployment this is a sealed chunk only the enclave can open.</summary>
public sealed record ProvisionBatch(Tensor Input, Tensor Labels) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ProvisionBatch;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => [Input, Labels];
}
