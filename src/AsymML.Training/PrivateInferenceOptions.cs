using AsymML.Optimization;
using AsymML.Boundary.Session;
using AsymML.Accelerator;
using AsymML.Decomposition;
using AsymML.Execution;

namespace AsymML.Training;

/// <summary>Everything about classifying a data set with a trained model. Immutable; checked by
/// <see cref="PrivateInference.Run"/> before any work.</summary>
/// <param name="Checkpoint">A checkpoint file written by training, or the folder holding
/// <see cref="Training.Checkpoint.FileName"/>.</param>
/// <param name="Data">The data set to classify (sealed sets are opened by the enclave only).</param>
/// <param name="Mode">AsymML (split), TEE-only or untrusted-only.</param>
/// <param name="RankPolicy">Rank of each split convolution (AsymML only).</param>
/// <param name="BatchSize">Samples per inference step, at least 1 (default 256). Inference runs in evaluation mode,
/// so the predictions do not depend on it.</param>
/// <param name="MaxSamples">Classify the first n samples only; null for all.</param>
/// <param name="KeyFile">The data owner's key, read by the enclave (by the host in untrusted-only mode): needed for
/// sealed data; with it the predictions come back sealed to the owner.</param>
/// <param name="NormalizationData">The enclave normalises inputs with the per-channel statistics of the first data
/// set it is given. Training gave it the training set, so pass the same training set here (it is only provisioned,
/// never classified) to normalise exactly as training and its evaluation did. Null normalises with the statistics
/// of <paramref name="Data"/> itself: close to the training set's, not equal. (The checkpoint does not carry the
/// statistics: for sealed data they are private to the enclave.)</param>
/// <param name="EnclaveProcess">Run the enclave as its own process (AsymML and TEE-only).</param>
/// <param name="EnclaveThreads">Threads of the enclave process; null for the default.</param>
/// <param name="MemoryBudgetBytes">Private-memory budget of the enclave; null for none.</param>
/// <param name="SplitMethod">How the enclave finds each split's principal components (AsymML only).</param>
/// <param name="Accelerator">Device and threads of the accelerator.</param>
/// <param name="Verify">How the enclave checks the accelerator's results; null checks every one.</param>
/// <param name="Mask">DarKnight-style masking of the residuals and dY that leave (AsymML only); null for none.</param>
public sealed record PrivateInferenceOptions(
    string Checkpoint,
    DataSource Data,
    ExecutionMode Mode,
    RankPolicy RankPolicy,
    int BatchSize = 256,
    int? MaxSamples = null,
    string? KeyFile = null,
    DataSource? NormalizationData = null,
    bool EnclaveProcess = false,
    int? EnclaveThreads = null,
    long? MemoryBudgetBytes = null,
    SplitMethod SplitMethod = SplitMethod.Blocked,
    AcceleratorSettings? Accelerator = null,
    VerificationSettings? Verify = null,
    MaskingSettings? Mask = null)
{
    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Checkpoint);
        ArgumentNullException.ThrowIfNull(Data);
        ArgumentNullException.ThrowIfNull(RankPolicy);
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Classify at least one sample per step.");
        if (MaxSamples is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSamples), MaxSamples, "Classify at least 1 sample.");
    }

    /// <summary>The executor's part of these options. Inference never updates the weights, so the optimizer is
    /// the default one, unused.</summary>
    public ExecutorOptions ToExecutorOptions() => new(Mode, RankPolicy, new OptimizerSettings(), KeyFile: KeyFile,
        EnclaveProcess: EnclaveProcess, EnclaveThreads: EnclaveThreads, MemoryBudgetBytes: MemoryBudgetBytes, Accelerator: Accelerator,
        SplitMethod: SplitMethod, Verify: Verify, Mask: Mask);
}
