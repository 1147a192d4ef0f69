using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace AsymML.Benchmarks;

/// <summary>
/// Runs <see cref="SplitMethodBenchmarks"/> with BenchmarkDotNet's in-process (emit) toolchain, so the benchmark
/// runs in this already-built, already-patched process: no generated project, no second build, no clash with
/// central package management, and the libstdc++ patch of libLibTorchSharp.so applies.
/// Besides all BenchmarkDotNet switches (<c>--filter '*Blocked*'</c>, <c>--exporters</c>, …) it reads:
/// <list type="bullet">
/// <item><c>--shapes all|diagonal|NxS[,NxS…]</c>: the (N, H = W) pairs to run; <c>diagonal</c> = the VGG-like pairs
/// (64, 56), (128, 28), (256, 14), (512, 7). Default <c>all</c> (the full 4 × 4 grid).</item>
/// <item><c>--ranks r[,r…]</c>: the ranks to run (default all declared: 1, 4, 16, 32).</item>
/// <item><c>--warmup k</c>, <c>--iterations k</c>: the short job's warm-up and measured iterations (default 2 and 9).</item>
/// </list>
/// </summary>
public static class SubsetRunner
{
    /// <summary>The VGG-like (N, H = W) pairs: channels double as the map halves.</summary>
    public static readonly IReadOnlyList<(int N, int Side)> Diagonal = [(64, 56), (128, 28), (256, 14), (512, 7)];

    /// <summary>The full declared grid of (N, H = W) pairs.</summary>
    public static readonly IReadOnlyList<(int N, int Side)> Grid =
        [.. new[] { 64, 128, 256, 512 }.SelectMany(n => new[] { 56, 28, 14, 7 }.Select(side => (n, side)))];

    /// <summary>Parses the custom switches, passes the rest to BenchmarkDotNet.</summary>
    public static int Run(string[] args)
    {
        HashSet<(int, int)>? shapes = null;
        HashSet<int>? ranks = null;
        int warmup = 2, iterations = 9;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--shapes": shapes = ParseShapes(Next()); break;
                case "--ranks": ranks = [.. ParseInts(Next())]; break;
                case "--warmup": warmup = ParseInts(Next()).Single(); break;
                case "--iterations": iterations = ParseInts(Next()).Single(); break;
                default: rest.Add(a); break;
            }
        }
        if (!rest.Any(s => s is "--filter" or "-f" || s.StartsWith("--filter=", StringComparison.Ordinal)))
            rest.AddRange(["--filter", "*"]);

        Job job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(warmup)
            .WithIterationCount(iterations)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("ShortInProcess");

        IConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Millisecond))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .AddFilter(new SimpleFilter(bc =>
            {
                int n = (int)bc.Parameters["N"], side = (int)bc.Parameters["Side"], r = (int)bc.Parameters["Rank"];
                return (shapes is null || shapes.Contains((n, side))) && (ranks is null || ranks.Contains(r));
            }));

        Console.WriteLine($"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, " +
                          $"torch threads {TorchSharp.torch.get_num_threads()}, {Environment.ProcessorCount} logical cores");
        var summaries = BenchmarkSwitcher.FromTypes([typeof(SplitMethodBenchmarks)]).Run([.. rest], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    internal static HashSet<(int, int)>? ParseShapes(string text)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase)) return null;
        if (text.Equals("diagonal", StringComparison.OrdinalIgnoreCase) || text.Equals("vgg", StringComparison.OrdinalIgnoreCase))
            return [.. Diagonal];
        var set = new HashSet<(int, int)>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] nx = part.Split('x');
            if (nx.Length != 2)
                throw new ArgumentException($"--shapes: '{part}' is not NxS (e.g. 64x56 for N = 64, H = W = 56)");
            set.Add((int.Parse(nx[0], CultureInfo.InvariantCulture), int.Parse(nx[1], CultureInfo.InvariantCulture)));
        }
        return set;
    }

    internal static IEnumerable<int> ParseInts(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture));
}
