namespace AsymML.Execution;

/// <summary>The aggregate outcome of one training or inference step (what the host may learn).</summary>
/// <param name="Loss">Mean cross-entropy of the batch.</param>
/// <param name="Correct">Top-1 hits in the batch.</param>
/// <param name="BatchSize">Samples in the batch.</param>
/// <param name="Timings">Where the time went.</param>
/// <param name="EnclavePeakBytes">Peak bytes of private tensors in the enclave during the step (its
/// <c>MemoryLedger</c>); 0 when no enclave runs (untrusted-only).</param>
/// <param name="ResidualEpsilon">The enclave's ε for the worst image of the session so far under the residual
/// Gaussian mechanism; NaN when it is off.</param>
/// <param name="MaxResidualReleases">Residual releases charged to that image.</param>
public sealed record StepReport(double Loss, int Correct, int BatchSize, StepTimings Timings, long EnclavePeakBytes = 0,
    double ResidualEpsilon = double.NaN, long MaxResidualReleases = 0)
{
    /// <summary>Correct / BatchSize.</summary>
    public double Accuracy => BatchSize == 0 ? 0 : (double)Correct / BatchSize;
}
