namespace AsymML.Privacy.Estimators;

/// <summary>Zero-inflated data: the truth, naive KSG, KSG and LNC with the tie protocol, and the permutation
/// baseline of KSG with the protocol (nats).</summary>
public sealed record TieCheck(string Data, double Truth, double NaiveKsg, double KsgJittered, double LncJittered, double PermutationMean, double PermutationStd);
