namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: run a step on the provisioned batch.</summary>
/// <param name="Step">What to run.</param>
/// <param name="Number">Step counter (for ordering checks and logs).</param>
public sealed record RunStep(StepKind Step, long Number) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.RunStep;
}
