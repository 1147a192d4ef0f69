using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: the next step's batch is the samples <paramref name="Indices"/> of the provisioned data set
/// <paramref name="Split"/>. The host chooses which samples (it knows only their positions, never their content);
/// the enclave normalises them and, for training, augments them with randomness of its own keyed by
/// <paramref name="Sequence"/>, so a resumed run repeats an uninterrupted one.</summary>
/// <param name="Split">The data set's name.</param>
/// <param name="Indices">int64 [B] sample positions.</param>
/// <param name="Sequence">Position of this batch in the whole run (epoch × batches per epoch + batch).</param>
public sealed record SelectBatch(string Split, Tensor Indices, long Sequence) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.SelectBatch;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => [Indices];
}
