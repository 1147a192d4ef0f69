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

    private sealed record Result(string Name, double[] Energy, double MedianMs);

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
                case "--shapes": shapes = [.. SubsetRunner.ParseInts(Next().Replace('x', ',')).Chunk(2).Select(p => (p[0], p[1]))]; break;
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
                          $"+ {SyntheticData.NoiseRatio:P0} noise, maxIter = 2 unless stated");
        Console.WriteLine();
        Console.WriteLine("Energy columns: per-sample e(method) / e(exact), mean and worst over the batch. " +
                          "Times: median ms of each method, interleaved. LW = Lightweight (Algorithm 1), " +
                          "Bk = Blocked with the default oversampling p = r, Bk p=0 = Blocked without oversampling.");
        Console.WriteLine();
        var table = new Table("N", "H·W", "r", "exact e", "LW mean", "LW worst", "Bk mean", "Bk worst", "Bk p=0 mean", "Bk p=0 worst",
            "LW ms", "Bk ms", "Bk p=0 ms", "Exact ms", "LW/Bk", "Exact/Bk", "LW/Bk p=0");
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
                    new("Bk p=0", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2, Oversampling = 0 }),
                ];
                Result[] res = Measure(x, methods, repeats);
                double[] exact = res[0].Energy;
                var (lwMean, lwWorst, _) = Relative(res[1].Energy, exact);
                var (bkMean, bkWorst, _) = Relative(res[2].Energy, exact);
                var (b0Mean, b0Worst, _) = Relative(res[3].Energy, exact);
                table.Add(n.ToString(CultureInfo.InvariantCulture), $"{side}²", r.ToString(CultureInfo.InvariantCulture),
                    F(exact.Average()), F(lwMean), F(lwWorst), F(bkMean), F(bkWorst), F(b0Mean), F(b0Worst),
                    Ms(res[1].MedianMs), Ms(res[2].MedianMs), Ms(res[3].MedianMs), Ms(res[0].MedianMs),
                    Ratio(res[1].MedianMs / res[2].MedianMs), Ratio(res[0].MedianMs / res[2].MedianMs),
                    Ratio(res[1].MedianMs / res[3].MedianMs));
                Console.Error.WriteLine($"[energy] N={n} side={side} r={r} done");
            }
        }
        table.Print();
    }

    private static void FashionMnistPatches(string? dataDir, int images, int repeats)
    {
        LabeledImages data = FashionMnist.Load(FashionMnist.TestSplit, dataDir, images);
        using Tensor x = data.ToTensor(); // [B, 1, 28, 28], pixel / 255
        Console.WriteLine($"## Fashion-MNIST patch matrices: {data.Count} test images, unfold(x / 255, k, padding k/2) → " +
                          "[B, k², 28, 28], maxIter = 2 unless stated");
        Console.WriteLine();
        Console.WriteLine("Per-image e(method) / e(exact): mean, and worst with the image index. " +
                          "LW-LN = Lightweight from largest-norm rows (default), LW-FC = Lightweight from the first channels (authors' code), " +
                          "Bk1 / Bk2 = Blocked with 1 / 2 iterations (largest-norm start, default oversampling p = r), Bk2 p=0 = Blocked, 2 iterations, no oversampling. Times: median ms, interleaved.");
        Console.WriteLine();
        var table = new Table("k", "r", "exact e", "LW-LN mean", "LW-LN worst", "LW-FC mean", "LW-FC worst", "Bk1 mean", "Bk1 worst",
            "Bk2 mean", "Bk2 worst", "Bk2 p=0 mean", "Bk2 p=0 worst", "LW-LN ms", "LW-FC ms", "Bk1 ms", "Bk2 ms", "Bk2 p=0 ms", "Exact ms");
        foreach (int k in new[] { 3, 5, 7 })
        {
            using var scope = NewDisposeScope();
            Tensor patches = nn.functional.unfold(x, k, padding: k / 2).view(x.shape[0], k * k, 28, 28).contiguous();
            foreach (int r in new[] { 1, 2, 4 })
            {
                Method[] methods =
                [
                    new("Exact", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Exact }),
                    new("LW-LN", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Lightweight, MaxIterations = 2, Start = WarmStart.LargestNormRow }),
                    new("LW-FC", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Lightweight, MaxIterations = 2, Start = WarmStart.FirstChannels }),
                    new("Bk1", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 1 }),
                    new("Bk2", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2 }),
                    new("Bk2 p=0", new LowRankSplitOptions { Rank = r, Method = SplitMethod.Blocked, MaxIterations = 2, Oversampling = 0 }),
                ];
                Result[] res = Measure(patches, methods, repeats);
                double[] exact = res[0].Energy;
                var cells = new List<string> { k.ToString(CultureInfo.InvariantCulture), r.ToString(CultureInfo.InvariantCulture), F(exact.Average()) };
                for (int m = 1; m < res.Length; m++)
                {
                    var (mean, worst, at) = Relative(res[m].Energy, exact);
                    cells.Add(F(mean));
                    cells.Add($"{F(worst)} (#{at})");
                }
                cells.AddRange([Ms(res[1].MedianMs), Ms(res[2].MedianMs), Ms(res[3].MedianMs), Ms(res[4].MedianMs), Ms(res[5].MedianMs), Ms(res[0].MedianMs)]);
                table.Add([.. cells]);
                Console.Error.WriteLine($"[energy] fashion k={k} r={r} done");
            }
        }
        table.Print();
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
        return [.. methods.Select((m, i) => new Result(m.Name, energies[i], Median(times[i])))];
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

    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
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
