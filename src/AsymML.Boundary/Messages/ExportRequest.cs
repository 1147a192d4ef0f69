namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: send the model's state (<see cref="StateExport"/>).</summary>
public sealed record ExportRequest : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ExportRequest;
}
