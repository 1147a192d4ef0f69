namespace AsymML.Privacy.Estimators;

/// <summary>What <see cref="EstimatorValidation"/> measured.</summary>
public sealed record ValidationReport(ValidationOptions Options, string KsgName, IReadOnlyList<GaussianCheck> Gaussians,
    IReadOnlyList<BaselineCheck> Independent, IReadOnlyList<TieCheck> Ties, IReadOnlyList<CoverageCheck> Coverage);
