using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: a whole data set in plaintext, for plain (unsealed) data only: the host has read every
/// image. Sealed data goes through <see cref="ProvisionSealed"/> instead.</summary>
/// <param name="Split">Name the steps will use for it ("train", "test").</param>
/// <param name="Pixels">Values 0..255, uint8 [N, C, H, W].</param>
/// <param name="Labels">Class labels, uint8 [N].</param>
public sealed record ProvisionData(string Split, Tensor Pixels, Tensor Labels) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ProvisionData;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => [Pixels, Labels];
}
