using AsymML.Execution;

namespace AsymML.Training;

/// <summary>Where a running epoch is (reported after every step).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="Steps">Steps in this epoch.</param>
/// <param name="Loss">Mean loss so far in this epoch.</param>
/// <param name="Accuracy">Accuracy so far in this epoch.</param>
/// <param name="SamplesPerSecond">Training throughput so far in this epoch.</param>
/// <param name="EnclaveSeconds">Enclave compute so far in this epoch.</param>
/// <param name="AcceleratorSeconds">Accelerator compute so far.</param>
/// <param name="BoundarySeconds">Boundary time so far.</param>
/// <param name="Evaluating">The epoch's training steps are done and the test set is being classified (reported once,
/// before the test pass).</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double Accuracy, double SamplesPerSecond,
    double EnclaveSeconds, double AcceleratorSeconds, double BoundarySeconds, bool Evaluating = false);
