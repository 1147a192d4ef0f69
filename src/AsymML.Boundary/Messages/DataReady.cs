namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: the data set <paramref name="Split"/> is provisioned and checked.</summary>
/// <param name="Split">The data set's name.</param>
/// <param name="Count">Its sample count (the host knows it from the header anyway).</param>
public sealed record DataReady(string Split, int Count) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.DataReady;
}
