using System.Diagnostics;
using System.Globalization;
using AsymML.Decomposition;
using static TorchSharp.torch;

namespace AsymML.Benchmarks;

/// <summary>
/// <c>probe</c> mode (no BenchmarkDotNet): median wall time of the tensor operations the split methods are built
/// from, at one synthetic input (<c>--shape NxS</c>, default 64x56; <c>--batch B</c>, default 32; <c>--rank r</c>, default 32),
/// interleaved over <c>--repeats</c> rounds (default 7). Reports median and minimum: the minimum is the best guess of the
/// uncontended cost on a shared machine.
/// Explains where the time of each method goes.
/// </summary>
public static class KernelProbe
{
    /// <summary>Runs the probe; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        int n = 64, side = 56, repeats = 7, rank = 32, b = SplitMethodBenchmarks.Batch;
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
                case "--batch": b = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown switch {args[i]}"); return 2;
            }
        }
        long hw = (long)side * side;
        using Tensor x4 = SyntheticData.LowRankPlusNoise(b, n, side);
        using Tensor x = x4.reshape(b, n, hw);
        using Tensor v1 = x.select(1, 0).clone();          // [B, HW]
        using Tensor u1 = x.select(2, 0).clone();          // [B, N]
        using Tensor vr = x.narrow(1, 0, Math.Min(rank, n)).clone(); // [B, r, HW]
        using Tensor ur = x.narrow(2, 0, Math.Min(rank, n)).clone(); // [B, N, r]
        using Tensor work = x.clone();
        using Tensor v2 = x.narrow(1, 0, 2).clone();       // [B, 2, HW]

        var ops = new (string Name, Action Op)[]
        {
            ("X.bmm(v[B,HW,1])  (Alg.1 u-update)", () => x.bmm(v1.unsqueeze(2))),
            ("u[B,1,N].bmm(X)   (Alg.1 v-update)", () => u1.unsqueeze(1).bmm(x)),
            ("v[B,1,HW].bmm(Xᵀ)  (same product, row form)", () => v1.unsqueeze(1).bmm(x.transpose(1, 2))),
            ("X.bmm(v2[B,HW,2]) (two columns)", () => x.bmm(v2.transpose(1, 2))),
            ("X.bmm([v, 0]).select(col 0) (padded)", () => x.bmm(stack([v1, zeros_like(v1)], 2)).select(2, 0)),
            ("X[b].mv(v[b]) loop over B", () => { for (int i = 0; i < b; i++) x[i].mv(v1[i]); }),
            ("linalg.vecdot(X, v[:,None], dim 2)", () => linalg.vecdot(x, v1.unsqueeze(1), 2)),
            ("X.square().sum(2) (largest-norm row)", () => x.square().sum(2)),
            ("linalg.vector_norm(X, dim 2) (no temporary)", () => linalg.vector_norm(x, dims: new long[] { 2 })),
            ("largest-norm row: square, sum, topk, gather", () =>
                x.gather(1, x.square().sum(2).topk(1, dim: 1).indexes.unsqueeze(2).expand(b, 1, hw))),
            ("X.addcmul_(u, v, -1) (deflation)", () => work.addcmul_(u1.unsqueeze(2), v1.unsqueeze(1), -1e-30)),
            ("X.clone()", () => x.clone()),
            ($"X.bmm(Vᵀ) r={rank}  (Blocked)", () => x.bmm(vr.transpose(1, 2))),
            ($"Qᵀ.bmm(X) r={rank}  (Blocked)", () => ur.transpose(1, 2).bmm(x)),
            ($"linalg.qr([B,N,{rank}])", () => linalg.qr(ur)),
            ($"linalg.eigh([B,{rank},{rank}]) (Blocked, p > 0)", () => { using var s = NewDisposeScope(); linalg.eigh(vr.bmm(vr.transpose(1, 2))); }),
            ($"U.baddbmm(V, X) r={rank} (residual)", () => ur.baddbmm(vr, x, beta: 1, alpha: -1)),
            ("linalg.svd(X, full=false) (Exact)", () => linalg.svd(x, fullMatrices: false)),
            ("linalg.svdvals(X)", () => linalg.svdvals(x)),
            ("X.bmm(Xᵀ) (Gram, N×N)", () => x.bmm(x.transpose(1, 2))),
            ("linalg.eigh(Gram)", () => { using var s = NewDisposeScope(); linalg.eigh(x.bmm(x.transpose(1, 2))); }),
            ("qr(Xᵀ) + svd(R) (exact, via QR)", () => { using var s = NewDisposeScope(); linalg.svd(linalg.qr(x.transpose(1, 2)).R, fullMatrices: false); }),
            ("Gram + eigh in float64 (exact, via Gram)", () => { using var s = NewDisposeScope(); var x64 = x.to(ScalarType.Float64); linalg.eigh(x64.bmm(x64.transpose(1, 2))); }),
            ($"eigh([B,{rank},{rank}] float64) on 1 thread", () =>
            {
                using var s = NewDisposeScope();
                Tensor g = vr.bmm(vr.transpose(1, 2)).to(ScalarType.Float64);
                int threads = get_num_threads();
                set_num_threads(1);
                try { linalg.eigh(g); } finally { set_num_threads(threads); }
            }),
            ("set_num_threads(1) + restore", () => { int t = get_num_threads(); set_num_threads(1); set_num_threads(t); }),
            ($"LowRankSplit Blocked r={rank} (default p)", () => LowRankSplit.Split(x4, new LowRankSplitOptions { Rank = rank }).Dispose()),
            ($"LowRankSplit Blocked r={rank} p=0", () => LowRankSplit.Split(x4, new LowRankSplitOptions { Rank = rank, Oversampling = 0 }).Dispose()),
            ($"LowRankSplit Lightweight r={rank}", () => LowRankSplit.Split(x4, new LowRankSplitOptions { Rank = rank, Method = SplitMethod.Lightweight }).Dispose()),
            ($"Algorithm 1 r={rank}, library form (copy)", () => Algorithm1(x, rank, rowForm: false)),
            ($"Algorithm 1 r={rank}, row-form u-update", () => Algorithm1(x, rank, rowForm: true)),
        };
        using (NewDisposeScope())
        {
            var (ua, va, ra) = Algorithm1(x, rank, rowForm: false);
            var (ub, vb, rb) = Algorithm1(x, rank, rowForm: true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Row-form check: max |ΔU| = {(ua - ub).abs().max().item<float>():g3}, max |ΔV| = {(va - vb).abs().max().item<float>():g3}, " +
                $"max |Δresidual| = {(ra - rb).abs().max().item<float>():g3}, max |X| = {x.abs().max().item<float>():g3}"));
        }
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
                          $"torch threads {get_num_threads()}, median and minimum of {repeats} interleaved rounds");
        Console.WriteLine();
        Console.WriteLine("| operation | median ms | min ms | GB/s over X (at min) |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (int j = 0; j < ops.Length; j++)
        {
            double med = times[j].Order().ElementAt(times[j].Count / 2);
            double min = times[j].Min();
            double gbs = b * n * hw * 4 / 1e9 / (min / 1e3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {ops[j].Name} | {med:0.00} | {min:0.00} | {gbs:0.0} |"));
        }
        return 0;
    }

    /// <summary>A copy of the library's Algorithm 1 loop (LightweightSvd, largest-norm start, maxIter = 2) with the
    /// u-update either as in the library, X.bmm(v[B, HW, 1]), or in row form, v[B, 1, HW].bmm(Xᵀ): the same product.</summary>
    private static (Tensor U, Tensor V, Tensor Residual) Algorithm1(Tensor x, int rank, bool rowForm)
    {
        long b = x.shape[0], n = x.shape[1], hw = x.shape[2];
        Tensor work = x.clone();
        Tensor u = zeros(b, n, rank, dtype: x.dtype);
        Tensor v = zeros(b, rank, hw, dtype: x.dtype);
        Tensor Left(Tensor vi) => (rowForm ? vi.unsqueeze(1).bmm(work.transpose(1, 2)).squeeze(1) : work.bmm(vi.unsqueeze(2)).squeeze(2))
            .div_(vi.square().sum(1, keepdim: true).clamp_min(1e-20));
        Tensor Right(Tensor ui) => ui.unsqueeze(1).bmm(work).squeeze(1).div_(ui.square().sum(1, keepdim: true).clamp_min(1e-20));
        for (int i = 0; i < rank; i++)
        {
            using var step = NewDisposeScope();
            Tensor norms = work.square().sum(2);
            Tensor index = norms.topk(1, dim: 1).indexes;
            Tensor vi = work.gather(1, index.unsqueeze(2).expand(b, 1, hw)).squeeze(1);
            Tensor ui = Left(vi);
            vi = Right(ui);
            ui = Left(vi);
            vi = Right(ui);
            u.select(2, i).copy_(ui);
            v.select(1, i).copy_(vi);
            work.addcmul_(ui.unsqueeze(2), vi.unsqueeze(1), -1);
        }
        return (u, v, work);
    }
}
