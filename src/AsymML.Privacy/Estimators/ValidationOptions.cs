namespace AsymML.Privacy.Estimators;

/// <summary>Sizes of <see cref="EstimatorValidation"/>; the defaults are those of docs/privacy-estimators.md.</summary>
public sealed record ValidationOptions
{
    /// <summary>Samples per data set of the Gaussian, independence and tie checks.</summary>
    public int Samples { get; init; } = 10_000;

    /// <summary>Independent Gaussian data sets per (d, ρ): one data set's error at small MI is mostly sampling
    /// noise (sd ≈ 7% at ρ = 0.5, n = 10k), so the bias is the mean over several.</summary>
    public int Repeats { get; init; } = 10;

    /// <summary>Dimensions d of X and of Y.</summary>
    public IReadOnlyList<int> Dimensions { get; init; } = [1, 2, 4];

    /// <summary>Correlations ρ of each coordinate pair.</summary>
    public IReadOnlyList<double> Correlations { get; init; } = [0.5, 0.9];

    /// <summary>k of KSG.</summary>
    public int KsgK { get; init; } = 3;

    /// <summary>k of LNC (must exceed 2d); its α is calibrated per dimension (<see cref="LncEstimator.CalibrateAlpha"/>).</summary>
    public int LncK { get; init; } = 10;

    /// <summary>Share of exact zeros in the tie checks.</summary>
    public double ZeroShare { get; init; } = 0.7;

    /// <summary>Permutations of the baselines.</summary>
    public int Permutations { get; init; } = 10;

    /// <summary>Data sets of the coverage check.</summary>
    public int CoverageTrials { get; init; } = 20;

    /// <summary>Samples per coverage data set.</summary>
    public int CoverageSamples { get; init; } = 2000;

    /// <summary>ρ of the coverage data (d = 1).</summary>
    public double CoverageRho { get; init; } = 0.5;

    /// <summary>Resamples per interval.</summary>
    public int Replicates { get; init; } = 20;

    /// <summary>Base seed.</summary>
    public int Seed { get; init; } = 1;
}
