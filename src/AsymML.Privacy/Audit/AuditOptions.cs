using AsymML.Decomposition;
using AsymML.Privacy.Estimators;

namespace AsymML.Privacy.Audit;

/// <summary>Settings of <see cref="TranscriptAudit"/>.</summary>
public sealed record AuditOptions
{
    /// <summary>Rank policy of the split (default: the paper's).</summary>
    public RankPolicy RankPolicy { get; init; } = new PaperRankPolicy();

    /// <summary>Noise-to-signal ratio of the mask on every residual.</summary>
    public double NoiseRatio { get; init; }

    /// <summary>Training steps run before the audit starts (without recording), so that weights are not the
    /// initial ones.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Training steps recorded and audited.</summary>
    public int Steps { get; init; } = 1;

    /// <summary>Samples per training step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Images measured per row (taken from the audited steps in order).</summary>
    public int Samples { get; init; } = 8;

    /// <summary>The per-image estimator settings (the paper's protocol).</summary>
    public PaperLeakageOptions Estimator { get; init; } = new();

    /// <summary>Which (layer, kind) rows to measure; null: all.</summary>
    public Func<string, Boundary.Messages.MessageKind, bool>? Include { get; init; }

    /// <summary>Learning rate of the SGD steps.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Seed of the initial weights and of the noise mask (a fixed noise seed keeps an audit reproducible;
    /// real training draws it from a cryptographic source).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(RankPolicy);
        ArgumentNullException.ThrowIfNull(Estimator);
        Estimator.Validate();
        if (!(NoiseRatio >= 0) || double.IsInfinity(NoiseRatio)) throw new ArgumentOutOfRangeException(nameof(NoiseRatio), NoiseRatio, "nsr must be a finite number ≥ 0.");
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "Warm-up steps must be ≥ 0.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Audit at least one step.");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchNorm needs batches of at least 2.");
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Measure at least one image per row.");
    }
}
