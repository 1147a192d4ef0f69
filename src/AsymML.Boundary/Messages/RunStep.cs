namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: run a step on the provisioned batch.</summary>
/// <param name="Step">What to run.</param>
/// <param name="Number">Step counter (for ordering checks and logs).</param>
/// <param name="LearningRate">The learning rate the host's schedule asks for this training step; null keeps the
/// enclave's current one. The enclave takes it only within the bounds of its own settings (see the enclave's gate).</param>
public sealed record RunStep(StepKind Step, long Number, double? LearningRate = null) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.RunStep;
}
