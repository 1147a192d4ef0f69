using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: a piece of a sealed data set, bytes as read from the file. The host cannot open it; the
/// enclave checks every piece (key id, header MAC, chunk order, authentication tag) before using a sample.</summary>
/// <param name="Split">Name the steps will use for the data set.</param>
/// <param name="Part">Header, chunk or end.</param>
/// <param name="Index">The chunk's position in the file (Chunk); 0 otherwise.</param>
/// <param name="Bytes">uint8 [n]: the header or the chunk record; empty for End.</param>
public sealed record ProvisionSealed(string Split, SealedPart Part, long Index, Tensor Bytes) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ProvisionSealed;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => [Bytes];
}
