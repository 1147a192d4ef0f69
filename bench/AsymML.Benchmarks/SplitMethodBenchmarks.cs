using AsymML.Decomposition;
using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace AsymML.Benchmarks;

/// <summary>
/// Wall time of <see cref="LowRankSplit.Split"/> for the three methods on X [B = 32, N, H, W] (H = W = <see cref="Side"/>),
/// rank <see cref="Rank"/>, maxIter = 2, synthetic rank-8 signal plus 20% noise (<see cref="SyntheticData"/>).
/// The full grid is declared; run a subset with <c>--shapes</c> / <c>--ranks</c> (see <see cref="SubsetRunner"/>).
/// Blocked runs with the library default (oversampling p = r) and, as <see cref="BlockedP0"/>, with p = 0.
/// Lightweight (the paper's Algorithm 1) is the baseline, so the Ratio column is t(method) / t(Lightweight).
/// </summary>
public class SplitMethodBenchmarks
{
    /// <summary>Batch size.</summary>
    public const int Batch = 32;

    private Tensor _x = null!;
    private LowRankSplitOptions _lightweight = null!;
    private LowRankSplitOptions _blocked = null!;
    private LowRankSplitOptions _blockedP0 = null!;
    private LowRankSplitOptions _exact = null!;

    /// <summary>Input channels N.</summary>
    [Params(64, 128, 256, 512)]
    public int N { get; set; }

    /// <summary>H = W of the input map (H·W = Side²).</summary>
    [Params(56, 28, 14, 7)]
    public int Side { get; set; }

    /// <summary>Requested rank r.</summary>
    [Params(1, 4, 16, 32)]
    public int Rank { get; set; }

    /// <summary>Iterations of the iterative methods.</summary>
    [Params(2)]
    public int MaxIter { get; set; }

    /// <summary>Creates the input once per benchmark case (deterministic for a shape).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _x = SyntheticData.LowRankPlusNoise(Batch, N, Side);
        _lightweight = new LowRankSplitOptions { Rank = Rank, Method = SplitMethod.Lightweight, MaxIterations = MaxIter };
        _blocked = new LowRankSplitOptions { Rank = Rank, Method = SplitMethod.Blocked, MaxIterations = MaxIter };
        _blockedP0 = _blocked with { Oversampling = 0 };
        _exact = new LowRankSplitOptions { Rank = Rank, Method = SplitMethod.Exact, MaxIterations = MaxIter };
    }

    /// <summary>Disposes the input.</summary>
    [GlobalCleanup]
    public void Cleanup() => _x.Dispose();

    /// <summary>The paper's Algorithm 1 (greedy rank-1 deflation).</summary>
    [Benchmark(Baseline = true)]
    public int Lightweight() => Run(_lightweight);

    /// <summary>Block power (subspace) iteration with the library's default oversampling (p = r: 2r columns).</summary>
    [Benchmark]
    public int Blocked() => Run(_blocked);

    /// <summary>Block power iteration without oversampling (p = 0: r columns), to show what p = r costs.</summary>
    [Benchmark]
    public int BlockedP0() => Run(_blockedP0);

    /// <summary><c>torch.linalg.svd</c>.</summary>
    [Benchmark]
    public int Exact() => Run(_exact);

    private int Run(LowRankSplitOptions options)
    {
        using var scope = NewDisposeScope();
        using LowRankFactors factors = LowRankSplit.Split(_x, options);
        return factors.Rank;
    }
}
