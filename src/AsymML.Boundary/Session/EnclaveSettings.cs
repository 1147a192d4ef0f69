using AsymML.Decomposition;
using AsymML.Network;

namespace AsymML.Boundary.Session;

/// <summary>What the enclave runtime needs to know before the first step. Immutable.</summary>
/// <param name="Spec">The network.</param>
/// <param name="Ranks">Rank and split decision of every convolution by path; a convolution missing here, or with
/// <see cref="RankAssignment.Split"/> false, runs fully inside.</param>
/// <param name="Method">Low-rank split method.</param>
/// <param name="MaxIterations">Iterations of the iterative split methods.</param>
/// <param name="NoiseRatio">Noise-to-signal ratio of the mask on every residual (0 = exact).</param>
/// <param name="NoiseSeed">Fixed noise seed, for tests only; null draws it from a cryptographic source.</param>
/// <param name="ReplyTimeout">How long to wait for the host's answer before failing the step.</param>
/// <param name="MemoryBudgetBytes">Most bytes of private tensors the enclave may hold (see the enclave's memory ledger);
/// null for no limit.</param>
/// <param name="Data">Key file and augmentation for data sets provisioned to the enclave; null: plain data, no augmentation.</param>
/// <param name="Verify">How the accelerator's results are checked; null checks every one.</param>
/// <param name="Mask">DarKnight-style masking of every residual and dY that leaves (see <see cref="MaskingSettings"/>);
/// null sends them unmixed.</param>
public sealed record EnclaveSettings(
    NetworkSpec Spec,
    IReadOnlyDictionary<string, RankAssignment> Ranks,
    SplitMethod Method = SplitMethod.Blocked,
    int MaxIterations = 2,
    double NoiseRatio = 0,
    long? NoiseSeed = null,
    TimeSpan? ReplyTimeout = null,
    long? MemoryBudgetBytes = null,
    PrivateDataOptions? Data = null,
    VerificationSettings? Verify = null,
    MaskingSettings? Mask = null)
{
    /// <summary>The verification in force (every result when not set).</summary>
    public VerificationSettings Verification => Verify ?? VerificationSettings.All;

    /// <summary>The reply timeout in force (default 60 s).</summary>
    public TimeSpan Timeout => ReplyTimeout ?? TimeSpan.FromSeconds(60);

    /// <summary>Every convolution runs fully inside the enclave (the TEE-only baseline).</summary>
    public static EnclaveSettings TeeOnly(NetworkSpec spec) => new(spec, new Dictionary<string, RankAssignment>());

    /// <summary>Ranks from <paramref name="policy"/> for inputs of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static EnclaveSettings Split(NetworkSpec spec, int height, int width, RankPolicy policy, double noiseRatio = 0, long? noiseSeed = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(policy);
        IReadOnlyList<RankAssignment> ranks = policy.Assign(spec.Convolutions(height, width));
        return new(spec, ranks.ToDictionary(r => r.Layer.Name), NoiseRatio: noiseRatio, NoiseSeed: noiseSeed);
    }
}
