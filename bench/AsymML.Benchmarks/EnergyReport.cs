using System.Diagnostics;
using System.Globalization;
using System.Text;
using AsymML.Data;
using AsymML.Decomposition;
using static TorchSharp.torch;

namespace AsymML.Benchmarks;

/// <summary>
/// <c>energy</c> mode (no BenchmarkDotNet): for each case, the energy each iterative split keeps relative to the
/// exact SVD (per sample e_method / e_exact: mean and worst), and the median wall time of every method over a few
/// repeats run side by side (interleaved, order rotated each repeat, so machine noise hits all methods alike).
/// Prints markdown to stdout. Switches: <c>--repeats k</c> (5), <c>--images k</c> (1000), <c>--shapes</c> and
/// <c>--ranks</c> as in the benchmark mode (default the diagonal shapes, r = 1, 4, 16, 32), <c>--data-dir path</c>,
/// <c>--synthetic-only</c>, <c>--real-only</c>.
/// </summary>
public static class EnergyReport
{
    private sealed record Method(string Name, LowRankSplitOptions Options);

    private sealed record Result(string Name, double[] Energy, double MedianMs, double MinMs);

    /// <summary>Runs the report; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        int repeats = 5, images = 1000;
        bool synthetic = true, real = true;
        string? dataDir = null;
        IReadOnlyList<(int N, int Side)> shapes = SubsetRunner.Diagonal;
        int[] ranks = [1, 4, 16, 32];
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--repeats": repeats = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--images": images = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--data-dir": dataDir = Next(); break;
                case "--synthetic-only": real = false; break;
                case "--real-only": synthetic = false; break;
                case "--ranks": ranks = [.. SubsetRunner.ParseInts(Next())]; break;
                case "--shapes":
                    HashSet<(int, int)>? chosen = SubsetRunner.ParseShapes(Next());
                    shapes = chosen is null ? SubsetRunner.Grid : [.. SubsetRunner.Grid.Where(chosen.Contains), .. chosen.Except(SubsetRunner.Grid)];
                    break;
                default: Console.Error.WriteLine($"unknown switch {a}"); return 2;
            }
        }

        Console.WriteLine("# AsymML split methods: energy kept and side-by-side time");
        Console.WriteLine();
        Console.WriteLine($"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, CPU, torch threads {get_num_threads()}, " +
                          $"{Environment.ProcessorCount} logical cores, {repeats} timed repeats per case (median), load average at start: {LoadAverage()}");
        Console.WriteLine();
        if (synthetic) Synthetic(shapes, ranks, repeats);
        if (real) FashionMnistPatches(dataDir, images, repeats);
        Console.WriteLine($"Load average at end: {LoadAverage()}");
        return 0;
    }

    private static void Synthetic(IReadOnlyList<(int N, int Side)> shapes, int[] ranks, int repeats)
    {
        const int batch = SplitMethodBenchmarks.Batch;
        Console.WriteLine($"## Synthetic: B = {batch}, rank-{SyntheticData.SignalRank} signal (strengths {SyntheticData.Decay}^j) " +
                          $"+ {SyntheticData.NoiseRatio:P0} noise, maxIter = 2");
        Console.WriteLine();
        Console.WriteLine("LW = Lightweight (Algorithm 1, largest-norm start); Bk = Blocked with the library's default oversampling " +
                          "(Oversampling = null); Bk p=r, Bk p=0 = Blocked with p = r and p = 0 extra directions.");
        Console.WriteLine();
        var energy = new Table("N", "H·W", "r", "exact e", "LW", "Bk", "Bk p=r", "Bk p=0", "Bk ≥ LW");
        var time = new Table("N", "H·W", "r", "LW ms", "Bk ms", "Bk p=r ms", "Bk p=0 ms", "Exact ms",
            "LW/Bk", "LW/Bk (min)", "Exact/Bk", "Exact/Bk (min)", "load");
        foreach ((int n, int side) in shapes)
        {
            using Tensor x = SyntheticData.LowRankPlusNoise(batch, n, side);
            foreach (int r in ranks)
            {
                Method[] methods =
                [
                    new("Exact", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Exact }),
                    new("LW", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Lightweight, MaxIterations = 2 }),
                    new("Bk", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2 }),
                    new("Bk p=r", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2, Oversampling = r }),
                    new("Bk p=0", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2, Oversampling = 0 }),
                ];
                Result[] res = Measure(x, methods, repeats);
                string[] key = [n.ToString(CultureInfo.InvariantCulture), $"{side}²", r.ToString(CultureInfo.InvariantCulture)];
                energy.Add([.. key, F(res[0].Energy.Average()), .. res.Skip(1).Select(m => MeanWorst(m.Energy, res[0].Energy, withIndex: false)),
                    AtLeast(res[2].Energy, res[1].Energy)]);
                time.Add([.. key, Ms(res[1].MedianMs), Ms(res[2].MedianMs), Ms(res[3].MedianMs), Ms(res[4].MedianMs), Ms(res[0].MedianMs),
                    Ratio(res[1].MedianMs / res[2].MedianMs), Ratio(res[1].MinMs / res[2].MinMs),
                    Ratio(res[0].MedianMs / res[2].MedianMs), Ratio(res[0].MinMs / res[2].MinMs), LoadAverage(1)]);
                Console.Error.WriteLine($"[energy] N={n} side={side} r={r} done");
            }
        }
        Console.WriteLine("### Energy kept relative to exact: mean / worst sample of e(method) / e(exact); last column: share of samples where Bk keeps at least LW's energy");
        Console.WriteLine();
        energy.Print();
        Console.WriteLine($"### Time: median ms of {repeats} interleaved repeats; ratios of medians and of minima; 1-min load average after the case");
        Console.WriteLine();
        time.Print();
    }

    private static void FashionMnistPatches(string? dataDir, int images, int repeats)
    {
        LabeledImages data = FashionMnist.Load(FashionMnist.TestSplit, dataDir, images);
        using Tensor x = data.ToTensor(); // [B, 1, 28, 28], pixel / 255
        Console.WriteLine($"## Fashion-MNIST patch matrices: {data.Count} test images, unfold(x / 255, k, padding k/2) → [B, k², 28, 28]");
        Console.WriteLine();
        Console.WriteLine("LW-LN / LW-FC = Lightweight (maxIter = 2) from the largest-norm rows (default) / the first channels " +
                          "(authors' code); Bk1 / Bk2 = Blocked with 1 / 2 iterations, largest-norm start, library default oversampling; " +
                          "Bk2 p=r, Bk2 p=0 = Blocked, 2 iterations, with p = r and p = 0.");
        Console.WriteLine();
        var energy = new Table("k", "r", "exact e", "LW-LN", "LW-FC", "Bk1", "Bk2", "Bk2 p=r", "Bk2 p=0", "Bk2 ≥ LW-LN");
        var time = new Table("k", "r", "LW-LN ms", "LW-FC ms", "Bk1 ms", "Bk2 ms", "Bk2 p=r ms", "Bk2 p=0 ms", "Exact ms",
            "LW-LN/Bk2", "LW-LN/Bk2 (min)", "load");
        foreach (int k in new[] { 3, 5, 7 })
        {
            using var scope = NewDisposeScope();
            Tensor patches = nn.functional.unfold(x, k, padding: k / 2).view(x.shape[0], k * k, data.Rows, data.Cols).contiguous();
            foreach (int r in new[] { 1, 2, 4 })
            {
                Method[] methods =
                [
                    new("Exact", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Exact }),
                    new("LW-LN", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Lightweight, MaxIterations = 2, Start = WarmStart.LargestNormRow }),
                    new("LW-FC", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Lightweight, MaxIterations = 2, Start = WarmStart.FirstChannels }),
                    new("Bk1", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 1 }),
                    new("Bk2", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2 }),
                    new("Bk2 p=r", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2, Oversampling = r }),
                    new("Bk2 p=0", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2, Oversampling = 0 }),
                ];
                Result[] res = Measure(patches, methods, repeats);
                string[] key = [k.ToString(CultureInfo.InvariantCulture), r.ToString(CultureInfo.InvariantCulture)];
                energy.Add([.. key, F(res[0].Energy.Average()), .. res.Skip(1).Select(m => MeanWorst(m.Energy, res[0].Energy, withIndex: true)),
                    AtLeast(res[4].Energy, res[1].Energy)]);
                time.Add([.. key, .. res.Skip(1).Select(m => Ms(m.MedianMs)), Ms(res[0].MedianMs),
                    Ratio(res[1].MedianMs / res[4].MedianMs), Ratio(res[1].MinMs / res[4].MinMs), LoadAverage(1)]);
                Console.Error.WriteLine($"[energy] fashion k={k} r={r} done");
            }
        }
        Console.WriteLine("### Energy kept relative to exact: mean / worst image (index) of e(method) / e(exact); last column: share of images where Bk2 keeps at least LW-LN's energy");
        Console.WriteLine();
        energy.Print();
        Console.WriteLine($"### Time: median ms of {repeats} interleaved repeats; ratio of medians and of minima; 1-min load average after the case");
        Console.WriteLine();
        time.Print();
    }

    /// <summary>Share of samples where <paramref name="e"/> keeps at least <paramref name="reference"/>'s energy
    /// (1e-6 of the sample's energy share tolerated for float32 rounding).</summary>
    private static string AtLeast(double[] e, double[] reference)
    {
        int count = e.Zip(reference).Count(p => p.First >= p.Second - 1e-6);
        return (count / (double)e.Length).ToString("0.0%", CultureInfo.InvariantCulture);
    }

    private static string MeanWorst(double[] e, double[] exact, bool withIndex)
    {
        var (mean, worst, at) = Relative(e, exact);
        return withIndex ? $"{F(mean)} / {F(worst)} (#{at})" : $"{F(mean)} / {F(worst)}";
    }

    /// <summary>Energies from one untimed run of each method (also the warm-up), then <paramref name="repeats"/>
    /// timed rounds in which every method runs once, in an order rotated each round.</summary>
    private static Result[] Measure(Tensor x, Method[] methods, int repeats)
    {
        var energies = methods.Select(m => Energy(x, m.Options)).ToArray();
        var times = methods.Select(_ => new List<double>()).ToArray();
        for (int rep = 0; rep < repeats; rep++)
        {
            for (int j = 0; j < methods.Length; j++)
            {
                int m = (j + rep) % methods.Length;
                times[m].Add(TimeOnce(x, methods[m].Options));
            }
        }
        return [.. methods.Select((m, i) => new Result(m.Name, energies[i], Median(times[i]), times[i].Min()))];
    }

    private static double[] Energy(Tensor x, LowRankSplitOptions options)
    {
        using var scope = NewDisposeScope();
        using LowRankFactors factors = LowRankSplit.Split(x, options);
        using Tensor e = LowRankSplit.CapturedEnergy(x, factors);
        return e.data<double>().ToArray();
    }

    private static double TimeOnce(Tensor x, LowRankSplitOptions options)
    {
        using var scope = NewDisposeScope();
        long start = Stopwatch.GetTimestamp();
        using LowRankFactors factors = LowRankSplit.Split(x, options);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Per-sample e / e_exact (1 where the exact energy is 0): mean, minimum and its index.</summary>
    private static (double Mean, double Worst, int WorstAt) Relative(double[] e, double[] exact)
    {
        double sum = 0, worst = double.PositiveInfinity;
        int at = -1;
        for (int i = 0; i < e.Length; i++)
        {
            double q = exact[i] > 0 ? e[i] / exact[i] : 1;
            sum += q;
            if (q < worst) { worst = q; at = i; }
        }
        return (sum / e.Length, worst, at);
    }

    private static double Median(List<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Ms(double v) => v.ToString(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    private static string Ratio(double v) => v.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static string LoadAverage(int fields = 3)
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(fields)); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private sealed class Table(params string[] header)
    {
        private readonly List<string[]> _rows = [];

        public void Add(params string[] cells) => _rows.Add(cells);

        public void Print()
        {
            var sb = new StringBuilder();
            sb.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
            sb.Append('|').AppendJoin("", header.Select(_ => "---:|")).AppendLine();
            foreach (string[] row in _rows)
                sb.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
            Console.WriteLine(sb.ToString());
        }
    }
}
