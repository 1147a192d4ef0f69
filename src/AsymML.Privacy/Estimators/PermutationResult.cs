namespace AsymML.Privacy.Estimators;

/// <summary>Estimates on permuted pairs (nats).</summary>
/// <param name="Mean">Mean over permutations.</param>
/// <param name="StandardDeviation">Their sample standard deviation.</param>
/// <param name="Values">Each permutation's estimate.</param>
public sealed record PermutationResult(double Mean, double StandardDeviation, IReadOnlyList<double> Values);
