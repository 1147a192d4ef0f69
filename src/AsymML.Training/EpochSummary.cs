using AsymML.Execution;

namespace AsymML.Training;

/// <summary>The figures of one finished epoch (what the host may learn: aggregates only).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's samples.</param>
/// <param name="TrainAccuracy">Training top-1 accuracy over the epoch (on augmented batches, as trained).</param>
/// <param name="TestLoss">Mean test loss (NaN without a test set).</param>
/// <param name="TestAccuracy">Test top-1 accuracy (NaN without a test set).</param>
/// <param name="Seconds">Wall time of the epoch's training steps.</param>
/// <param name="EnclaveSeconds">Enclave compute within them.</param>
/// <param name="AcceleratorSeconds">Accelerator compute within them.</param>
/// <param name="BoundarySeconds">Boundary (encode, copy, decode) within them.</param>
/// <param name="BoundaryBytes">Tensor bytes that crossed during training steps.</param>
/// <param name="EnclavePeakBytes">Highest private-memory peak of a step.</param>
/// <param name="ResidualEpsilon">The enclave's ε (worst image, whole session so far, at the mechanism's δ) after the
/// epoch's last training step; NaN without the residual Gaussian mechanism. A resumed run's enclave starts counting
/// again: compose by <see cref="MaxResidualReleases"/>, which adds up.</param>
/// <param name="MaxResidualReleases">Residual releases charged to that image.</param>
public sealed record EpochSummary(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double Seconds, double EnclaveSeconds, double AcceleratorSeconds, double BoundarySeconds, long BoundaryBytes, long EnclavePeakBytes,
    double ResidualEpsilon = double.NaN, long MaxResidualReleases = 0);
