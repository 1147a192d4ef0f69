namespace AsymML.Privacy.Estimators;

/// <summary>Settings of the paper's leakage protocol (<see cref="PaperLeakage"/>); the defaults are the authors'
/// for intermediate layers.</summary>
public sealed record PaperLeakageOptions
{
    /// <summary>Neighbours of the LNC estimator: the authors use 50 on input images and 10 on intermediate features.</summary>
    public int K { get; init; } = 10;

    /// <summary>LNC threshold α (the authors: 0.4).</summary>
    public double Alpha { get; init; } = 0.4;

    /// <summary>Absolute jitter: U[0, Jitter) added to every value of each variable independently before estimating,
    /// as the authors' estimator does (intens = 1e−10). It breaks exact ties; it also fixes I(X; X), which is
    /// infinite in truth, to a finite number that grows as the jitter shrinks.</summary>
    public double Jitter { get; init; } = 1e-10;

    /// <summary>Use at most this many element positions per image (chosen at random, the same for both tensors);
    /// null: all, as the authors do. Fewer positions make the figure cheaper and change it (k-NN estimates depend on n).</summary>
    public int? MaxElements { get; init; }

    /// <summary>Images to half-sample for the confidence interval of the mean.</summary>
    public int Replicates { get; init; } = 20;

    /// <summary>Seed of the jitter, the position subset and the half-samples.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (K < 2) throw new ArgumentOutOfRangeException(nameof(K), K, "LNC needs k ≥ 2 for two 1-D variables (k > 2 recommended).");
        if (!(Alpha > 0 && Alpha < 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "α must be in (0, 1).");
        if (!(Jitter > 0 && Jitter < 1e-2)) throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "The jitter must be tiny: (0, 0.01).");
        if (MaxElements is < 20) throw new ArgumentOutOfRangeException(nameof(MaxElements), MaxElements, "Use at least 20 positions per image.");
        if (Replicates < 2) throw new ArgumentOutOfRangeException(nameof(Replicates), Replicates, "Use at least 2 half-samples.");
    }
}
