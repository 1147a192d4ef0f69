namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: aggregate figures of a finished step. No per-sample values: the host learns the batch
/// loss and how many were right, not which.</summary>
/// <param name="Number">The step's number.</param>
/// <param name="Loss">Mean cross-entropy over the batch (training and inference).</param>
/// <param name="Correct">Samples whose top-1 prediction equals the label.</param>
/// <param name="BatchSize">Samples in the batch.</param>
/// <param name="EnclaveSeconds">Compute time inside the enclave for this step.</param>
/// <param name="EnclavePeakBytes">Peak bytes of private tensors during the step.</param>
/// <param name="VerificationSeconds">Part of <paramref name="EnclaveSeconds"/> spent checking the accelerator's results.</param>
/// <param name="WeightCheckSeconds">Part of <paramref name="VerificationSeconds"/> spent checking dW_U.</param>
/// <param name="UpdateSeconds">Part of <paramref name="EnclaveSeconds"/> spent on the weight update: dW = dW_T + dW_U,
/// the optimizer step and copying the new weights out.</param>
/// <param name="ResidualEpsilon">ε (at the mechanism's δ) of the residual Gaussian mechanism for the worst image so
/// far in the session, by the enclave's accountant; NaN when the mechanism is off.</param>
/// <param name="MaxResidualReleases">Residual releases charged to that image so far (0 when the mechanism is off).</param>
public sealed record StepResult(long Number, double Loss, int Correct, int BatchSize, double EnclaveSeconds, long EnclavePeakBytes, double VerificationSeconds = 0,
    double WeightCheckSeconds = 0, double UpdateSeconds = 0, double ResidualEpsilon = double.NaN, long MaxResidualReleases = 0) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.StepResult;
}
