using System.Globalization;
using AsymML.Analysis;
using Spectre.Console;

namespace AsymML.Cli.Rendering;

/// <summary>The console table of <c>asymml entropy</c>.</summary>
internal static class EntropyTable
{
    public static void Write(IAnsiConsole console, EntropyReport report, string source)
    {
        var entropy = new Table()
            .Title($"SVD-channel entropy μ of patch-channels (bits), {report.Samples} images of {Markup.Escape(source)}")
            .AddColumns("k", "N·k²", "mean", "median", "std", "p5", "p95", "N' = ⌈2^μ⌉");
        foreach (KernelEntropy k in report.Kernels)
            entropy.AddRow(I(k.K), I(k.PatchChannels), F(k.MuMean, "0.000"), F(k.MuMedian, "0.000"), F(k.MuStd, "0.000"),
                F(k.MuP05, "0.00"), F(k.MuP95, "0.00"), I(k.NPrime));
        console.Write(entropy);

        var splits = new Table()
            .Title($"Rank-{report.Rank} splits, {report.MaxIterations} iterations: energy kept (mean), worst sample vs exact, time")
            .AddColumns("k", "r", "light", "blocked", "exact", "worst light", "worst blocked", "ms light", "ms blocked", "ms exact");
        foreach (KernelEntropy k in report.Kernels)
            splits.AddRow(I(k.K), I(k.Rank), F(k.Energy.Light, "0.0000"), F(k.Energy.Blocked, "0.0000"), F(k.Energy.Exact, "0.0000"),
                F(k.WorstRelativeEnergy.Light, "0.000"), F(k.WorstRelativeEnergy.Blocked, "0.000"),
                F(k.Ms.Light, "0"), F(k.Ms.Blocked, "0"), F(k.Ms.Exact, "0"));
        console.Write(splits);
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
