using System.Globalization;

namespace AsymML.Benchmarks;

/// <summary>
/// Entry point. Modes:
/// <list type="bullet">
/// <item><c>energy [options]</c>: energy kept by the iterative splits relative to the exact SVD, and side-by-side
/// median wall times, as markdown on stdout (no BenchmarkDotNet). See <see cref="EnergyReport"/>.</item>
/// <item><c>probe [--shape NxS] [--rank r]</c>: median time of the tensor operations the methods are built from
/// (see <see cref="KernelProbe"/>).</item>
/// <item><c>boundary [--sizes 1,16,100,411] [--repeats 5]</c>: MB/s of a float32 tensor through the frame codec,
/// the in-process channel and the socket channel, beside a plain clone (see <see cref="BoundaryThroughput"/>).</item>
/// <item>anything else: BenchmarkDotNet (in-process toolchain) over <see cref="SplitMethodBenchmarks"/>, with the
/// extra switches <c>--shapes</c> and <c>--ranks</c> to run a subset of the declared grid. See <see cref="SubsetRunner"/>.</item>
/// </list>
/// In every mode <c>--threads k</c> sets libtorch's intra-op thread count (default: libtorch's own, one per core).
/// </summary>
public static class Program
{
    /// <summary>Runs the chosen mode; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        var rest = new List<string>(args);
        int at = rest.IndexOf("--threads");
        if (at >= 0)
        {
            if (at + 1 >= rest.Count) throw new ArgumentException("--threads needs a value");
            TorchSharp.torch.set_num_threads(int.Parse(rest[at + 1], CultureInfo.InvariantCulture));
            rest.RemoveRange(at, 2);
        }
        args = [.. rest];
        if (args.Length > 0 && args[0].Equals("energy", StringComparison.OrdinalIgnoreCase))
            return EnergyReport.Run(args[1..]);
        if (args.Length > 0 && args[0].Equals("probe", StringComparison.OrdinalIgnoreCase))
            return KernelProbe.Run(args[1..]);
        if (args.Length > 0 && args[0].Equals("boundary", StringComparison.OrdinalIgnoreCase))
            return BoundaryThroughput.Run(args[1..]);
        return SubsetRunner.Run(args);
    }
}
