namespace AsymML.Privacy.Estimators;

/// <summary>An estimate on independent data beside its permutation baseline (nats).</summary>
public sealed record BaselineCheck(string Data, string Estimator, double Estimate, double PermutationMean, double PermutationStd);
