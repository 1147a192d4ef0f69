namespace AsymML.Decomposition;

/// <summary>The rank a policy gave one convolution.</summary>
/// <param name="Layer">The convolution.</param>
/// <param name="Rank">r after every cap (≥ 1).</param>
/// <param name="Split">False when the split would save nothing: the layer then runs fully inside the TEE
/// and nothing of its input crosses.</param>
/// <param name="Reason">How r was reached, in words (caps applied, why the layer is not split).</param>
public sealed record RankAssignment(ConvLayerShape Layer, int Rank, bool Split, string Reason);
