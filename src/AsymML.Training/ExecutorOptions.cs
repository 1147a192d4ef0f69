using AsymML.Optimization;
using AsymML.Boundary.Session;
using AsymML.Accelerator;
using AsymML.Boundary.Transcript;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;

namespace AsymML.Training;

/// <summary>How to run a network: everything <see cref="Executors.Create"/> needs besides the network and its weights.
/// Immutable.</summary>
/// <param name="Mode">AsymML (split), TEE-only or untrusted-only.</param>
/// <param name="RankPolicy">Rank of each split convolution (AsymML only).</param>
/// <param name="Optimizer">The optimizer of training steps.</param>
/// <param name="NoiseRatio">Noise-to-signal ratio of the mask on every residual (0 = exact; AsymML only).</param>
/// <param name="KeyFile">The data owner's key file, read by the enclave (and, in untrusted-only mode, by the owner's
/// code in this process to open sealed data for the host); needed for sealed data.</param>
/// <param name="Augmentation">Random crop and flip of training batches; null for none.</param>
/// <param name="AugmentationSeed">Seed of the augmentation secret; null draws a random one.</param>
/// <param name="EnclaveProcess">Run the enclave as its own process (AsymML and TEE-only); false runs it on a thread
/// of this process (the in-process emulation: key and plaintext share the host's process).</param>
/// <param name="EnclaveThreads">TorchSharp threads of the enclave process; null for the default.</param>
/// <param name="MemoryBudgetBytes">Private-memory budget of the enclave; null for none.</param>
/// <param name="Accelerator">Device and threads of the accelerator.</param>
/// <param name="Transcript">If given, records everything that crosses the host's end of the boundary.</param>
/// <param name="SplitMethod">How the enclave finds each split's principal components (AsymML only; default
/// <see cref="SplitMethod.Blocked"/>). With no noise the merge is exact whatever the method: it changes the cost
/// and what the residual holds, not the result beyond rounding.</param>
/// <param name="Verify">How the enclave checks the accelerator's results; null checks every one.</param>
/// <param name="WeightSeed">Seed of the initial weights when no state is given (made inside the enclave).</param>
/// <param name="ResidualPrivacy">The Gaussian mechanism on residuals with its (ε, δ) accountant (AsymML only); null for none.</param>
/// <param name="Mask">DarKnight-style masking of the residuals and dY that leave (AsymML only); null for none.</param>
public sealed record ExecutorOptions(
    ExecutionMode Mode,
    RankPolicy RankPolicy,
    OptimizerSettings Optimizer,
    double NoiseRatio = 0,
    string? KeyFile = null,
    Augmentation? Augmentation = null,
    long? AugmentationSeed = null,
    bool EnclaveProcess = false,
    int? EnclaveThreads = null,
    long? MemoryBudgetBytes = null,
    AcceleratorSettings? Accelerator = null,
    BoundaryTranscript? Transcript = null,
    SplitMethod SplitMethod = SplitMethod.Blocked,
    VerificationSettings? Verify = null,
    long WeightSeed = 0,
    ResidualPrivacySettings? ResidualPrivacy = null,
    MaskingSettings? Mask = null);
