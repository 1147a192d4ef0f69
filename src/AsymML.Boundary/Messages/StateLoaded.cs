namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: a <see cref="LoadState"/> was checked and loaded.</summary>
/// <param name="Authenticated">Its tag verified under the data owner's key; false in a session without a key, where
/// the state is taken unauthenticated.</param>
public sealed record StateLoaded(bool Authenticated) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.StateLoaded;
}
