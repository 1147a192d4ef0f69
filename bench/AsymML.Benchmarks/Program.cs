using BenchmarkDotNet.Running;

namespace AsymML.Benchmarks;

/// <summary>
/// Entry point. Two modes:
/// <list type="bullet">
/// <item><c>energy [options]</c>: energy kept by the iterative splits relative to the exact SVD, and side-by-side
/// median wall times, as markdown on stdout (no BenchmarkDotNet). See <see cref="EnergyReport"/>.</item>
/// <item><c>probe [--shape NxS] [--rank r]</c>: median time of the tensor operations the methods are built from
/// (see <see cref="KernelProbe"/>).</item>
/// <item>anything else: BenchmarkDotNet (in-process toolchain) over <see cref="SplitMethodBenchmarks"/>, with the
/// extra switches <c>--shapes</c> and <c>--ranks</c> to run a subset of the declared grid. See <see cref="BenchmarkRunner"/>.</item>
/// </list>
/// </summary>
public static class Program
{
    /// <summary>Runs the chosen mode; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0].Equals("energy", StringComparison.OrdinalIgnoreCase))
            return EnergyReport.Run(args[1..]);
        if (args.Length > 0 && args[0].Equals("probe", StringComparison.OrdinalIgnoreCase))
            return KernelProbe.Run(args[1..]);
        return SubsetRunner.Run(args);
    }
}
