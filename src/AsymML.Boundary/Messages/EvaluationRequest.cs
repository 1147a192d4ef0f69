namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: report on the inference steps run on <paramref name="Split"/> since the last request.</summary>
/// <param name="Split">The data set's name.</param>
public sealed record EvaluationRequest(string Split) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.EvaluationRequest;
}
