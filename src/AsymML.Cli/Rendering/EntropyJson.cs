using AsymML.Analysis;

namespace AsymML.Cli.Rendering;

/// <summary>The JSON shape of <c>asymml entropy --json</c>:
/// <c>{"samples", "rank", "maxIterations", "kernels": [{"k", "muMean", "muMedian", …, "nPrime", "energy": {"light", "blocked", "exact"}, "ms": {…}}]}</c>.</summary>
internal sealed record EntropyJson(int Samples, int Rank, int MaxIterations, IReadOnlyList<KernelEntropy> Kernels)
{
    public static EntropyJson From(EntropyReport report) => new(report.Samples, report.Rank, report.MaxIterations, report.Kernels);
}
