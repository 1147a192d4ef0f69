using AsymML.Optimization;
using AsymML.Boundary.Session;
using AsymML.Accelerator;
using AsymML.Data;
using AsymML.Decomposition;

using AsymML.Execution;

namespace AsymML.Training;

/// <summary>Everything about a private training run besides the network and the data. Immutable.</summary>
/// <param name="Mode">AsymML (split), TEE-only or untrusted-only.</param>
/// <param name="RankPolicy">Rank of each split convolution (AsymML only).</param>
/// <param name="NoiseRatio">Noise-to-signal ratio of the mask on every residual (0 = exact).</param>
/// <param name="Optimizer">Optimizer run by the accelerator.</param>
/// <param name="Plan">Epochs, batch size, seed, sample limits, checkpoint path.</param>
/// <param name="KeyFile">The data owner's key, read by the enclave (by the host in untrusted-only mode); needed for sealed data.</param>
/// <param name="Augmentation">Random crop and flip inside the enclave; null for none.</param>
/// <param name="EnclaveProcess">Run the enclave as its own process (AsymML and TEE-only).</param>
/// <param name="EnclaveThreads">Threads of the enclave process (emulates a slow TEE); null for the default.</param>
/// <param name="MemoryBudgetBytes">Private-memory budget of the enclave; null for none.</param>
/// <param name="Resume">Continue from the checkpoint at <see cref="TrainingPlan.CheckpointPath"/> if it exists.</param>
/// <param name="Accelerator">Device and threads of the accelerator.</param>
/// <param name="SplitMethod">How the enclave finds each split's principal components (AsymML only).</param>
/// <param name="Verify">How the enclave checks the accelerator's results; null checks every one.</param>
/// <param name="ResidualPrivacy">The Gaussian mechanism on residuals, with the enclave's (ε, δ) accountant (AsymML only); null for none.</param>
/// <param name="Mask">DarKnight-style masking of the residuals and dY that leave (AsymML only); null for none.</param>
public sealed record PrivateTrainingOptions(
    ExecutionMode Mode,
    RankPolicy RankPolicy,
    double NoiseRatio,
    OptimizerSettings Optimizer,
    TrainingPlan Plan,
    string? KeyFile = null,
    Augmentation? Augmentation = null,
    bool EnclaveProcess = false,
    int? EnclaveThreads = null,
    long? MemoryBudgetBytes = null,
    bool Resume = false,
    AcceleratorSettings? Accelerator = null,
    SplitMethod SplitMethod = SplitMethod.Blocked,
    VerificationSettings? Verify = null,
    ResidualPrivacySettings? ResidualPrivacy = null,
    MaskingSettings? Mask = null)
{
    /// <summary>The executor's part of these options (the plan's seed keys the augmentation).</summary>
    public ExecutorOptions ToExecutorOptions() => new(Mode, RankPolicy, Optimizer, NoiseRatio, KeyFile, Augmentation, Plan.Seed,
        EnclaveProcess, EnclaveThreads, MemoryBudgetBytes, Accelerator, SplitMethod: SplitMethod, Verify: Verify, WeightSeed: Plan.Seed, ResidualPrivacy: ResidualPrivacy, Mask: Mask);
}
