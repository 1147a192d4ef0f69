using AsymML.Decomposition;
using AsymML.Network;
using AsymML.Optimization;

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
/// <param name="Optimizer">The optimizer the enclave runs on its authoritative weights; null: SGD with the defaults of
/// <see cref="OptimizerSettings"/>. Its learning rate is the largest the host may ask for.</param>
/// <param name="WeightSeed">Seed of the initial weights the enclave makes from <paramref name="Spec"/> (the data owner's
/// setting; the host cannot set the enclave's weights).</param>
/// <param name="LearningRateFloor">The smallest learning rate the host may ask for, as a share of the optimizer's
/// (default 10⁻³, the floor of the cosine schedule): a host-sent rate outside [floor·lr, lr] is refused.</param>
/// <param name="InitialState">Initial weights and buffers given by trusted code in this process (the in-process
/// emulation, tests); null makes them from <paramref name="WeightSeed"/>. Cannot cross into an enclave process.</param>
/// <param name="ResidualPrivacy">The Gaussian mechanism on every residual (clipping, calibrated noise, an (ε, δ)
/// accountant); null for none. Not combined with <paramref name="NoiseRatio"/>.</param>
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
    OptimizerSettings? Optimizer = null,
    long WeightSeed = 0,
    double LearningRateFloor = 1e-3,
    StateDict? InitialState = null,
    ResidualPrivacySettings? ResidualPrivacy = null,
    MaskingSettings? Mask = null)
{
    /// <summary>The optimizer in force (SGD with its defaults when not set).</summary>
    public OptimizerSettings Optimization => Optimizer ?? new OptimizerSettings();

    /// <summary>Throws, naming every problem, unless the noise settings can be used: nsr finite and ≥ 0, the
    /// residual mechanism valid, and not both at once (the guarantee is stated for the mechanism alone).</summary>
    /// <exception cref="ArgumentException">A noise setting is out of range, or both are set.</exception>
    public void ValidateNoise()
    {
        var problems = new List<string>();
        if (!(NoiseRatio >= 0) || double.IsInfinity(NoiseRatio))
            problems.Add($"the noise-to-signal ratio must be a finite number ≥ 0, not {NoiseRatio}");
        if (ResidualPrivacy is not null)
        {
            problems.AddRange(ResidualPrivacy.Problems());
            if (NoiseRatio > 0)
                problems.Add("nsr and the residual Gaussian mechanism cannot be combined: choose one");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"Enclave settings: {string.Join("; ", problems)}.");
    }

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
