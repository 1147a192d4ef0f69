namespace AsymML.Boundary.Messages;

/// <summary>Either way: the sending side failed and stops the step; <see cref="Text"/> says why.</summary>
public sealed record ErrorMessage(string Text) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.Error;
}
