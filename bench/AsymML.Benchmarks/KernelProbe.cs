using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace AsymML.Benchmarks;

/// <summary>
/// <c>probe</c> mode (no BenchmarkDotNet): median wall time of the tensor operations the split methods are built
/// from, at one shape (<c>--shape NxS</c>, default 64x56, B = 32), interleaved over <c>--repeats</c> rounds (default 7).
/// Explains where the time of each method goes.
/// </summary>
public static class KernelProbe
{
    /// <summary>Runs the probe; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        int n = 64, side = 56, repeats = 7, rank = 32;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--shape":
                    int[] p = [.. SubsetRunner.ParseInts(args[++i].Replace('x', ','))];
                    (n, side) = (p[0], p[1]);
                    break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rank": rank = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown switch {args[i]}"); return 2;
            }
        }
        const int b = SplitMethodBenchmarks.Batch;
        long hw = (long)side * side;
        using Tensor x4 = SyntheticData.LowRankPlusNoise(b, n, side);
        using Tensor x = x4.reshape(b, n, hw);
        using Tensor v1 = x.select(1, 0).clone();          // [B, HW]
        using Tensor u1 = x.select(2, 0).clone();          // [B, N]
        using Tensor vr = x.narrow(1, 0, Math.Min(rank, n)).clone(); // [B, r, HW]
        using Tensor ur = x.narrow(2, 0, Math.Min(rank, n)).clone(); // [B, N, r]
        using Tensor work = x.clone();

        var ops = new (string Name, Action Op)[]
        {
            ("X.bmm(v[B,HW,1])  (Alg.1 u-update)", () => x.bmm(v1.unsqueeze(2))),
            ("u[B,1,N].bmm(X)   (Alg.1 v-update)", () => u1.unsqueeze(1).bmm(x)),
            ("X.matmul(v) via einsum bnh,bh->bn", () => einsum("bnh,bh->bn", x, v1)),
            ("(X * v[:,None]).sum(2)", () => (x * v1.unsqueeze(1)).sum(2)),
            ("(X * u[:,:,None]).sum(1)", () => (x * u1.unsqueeze(2)).sum(1)),
            ("X.square().sum(2) (largest-norm row)", () => x.square().sum(2)),
            ("linalg.vector_norm(X, dim 2)", () => linalg.vector_norm(x, dims: new long[] { 2 })),
            ("X.addcmul_(u, v, -1) (deflation)", () => work.addcmul_(u1.unsqueeze(2), v1.unsqueeze(1), -1e-30)),
            ("X.clone()", () => x.clone()),
            ($"X.bmm(Vᵀ) r={rank}  (Blocked)", () => x.bmm(vr.transpose(1, 2))),
            ($"Qᵀ.bmm(X) r={rank}  (Blocked)", () => ur.transpose(1, 2).bmm(x)),
            ($"linalg.qr([B,N,{rank}])", () => linalg.qr(ur)),
            ($"U.baddbmm(V, X) r={rank} (residual)", () => ur.baddbmm(vr, x, beta: 1, alpha: -1)),
            ("linalg.svd(X, full=false) (Exact)", () => linalg.svd(x, fullMatrices: false)),
            ("linalg.svdvals(X)", () => linalg.svdvals(x)),
            ("X.bmm(Xᵀ) (Gram, N×N)", () => x.bmm(x.transpose(1, 2))),
            ("linalg.eigh(Gram)", () => { using var s = NewDisposeScope(); linalg.eigh(x.bmm(x.transpose(1, 2))); }),
        };
        var times = ops.Select(_ => new List<double>()).ToArray();
        for (int rep = -1; rep < repeats; rep++)
        {
            for (int j = 0; j < ops.Length; j++)
            {
                int m = (j + Math.Max(rep, 0)) % ops.Length;
                using var scope = NewDisposeScope();
                long start = Stopwatch.GetTimestamp();
                ops[m].Op();
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (rep >= 0) times[m].Add(ms);
            }
        }
        Console.WriteLine($"Kernel probe: B = {b}, N = {n}, H·W = {side}² = {hw}, X = {b * n * hw * 4 / 1e6:0.0} MB float32, " +
                          $"torch threads {get_num_threads()}, median of {repeats} interleaved rounds");
        Console.WriteLine();
        Console.WriteLine("| operation | median ms | GB/s over X |");
        Console.WriteLine("|---|---:|---:|");
        for (int j = 0; j < ops.Length; j++)
        {
            double med = times[j].Order().ElementAt(times[j].Count / 2);
            double gbs = b * n * hw * 4 / 1e9 / (med / 1e3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ops[j].Name} | {med:0.00} | {gbs:0.0} |"));
        }
        return 0;
    }
}
