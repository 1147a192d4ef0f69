namespace AsymML.Privacy.Estimators;

/// <summary>How often intervals of nominal 95% covered the true MI.</summary>
public sealed record CoverageCheck(string Scheme, int Trials, int Covered, double MeanWidth);
