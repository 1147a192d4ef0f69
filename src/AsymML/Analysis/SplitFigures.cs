namespace AsymML.Analysis;

/// <summary>One figure for each split method: Algorithm 1 ("light"), the blocked variant and the exact SVD.</summary>
/// <param name="Light">Algorithm 1 (<see cref="Decomposition.SplitMethod.Lightweight"/>).</param>
/// <param name="Blocked">Block power iteration (<see cref="Decomposition.SplitMethod.Blocked"/>).</param>
/// <param name="Exact">Exact SVD (<see cref="Decomposition.SplitMethod.Exact"/>).</param>
public sealed record SplitFigures(double Light, double Blocked, double Exact);
