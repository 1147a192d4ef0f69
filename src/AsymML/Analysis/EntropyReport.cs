namespace AsymML.Analysis;

/// <summary>Result of <see cref="EntropyStudy.Run"/>: the paper's Figure 9 on real images.</summary>
/// <param name="Samples">Number of images analysed.</param>
/// <param name="Rank">Requested rank r of the splits.</param>
/// <param name="MaxIterations">Iterations of Algorithm 1 and of the blocked variant.</param>
/// <param name="Kernels">One entry per kernel size, in the order asked for.</param>
public sealed record EntropyReport(int Samples, int Rank, int MaxIterations, IReadOnlyList<KernelEntropy> Kernels);
