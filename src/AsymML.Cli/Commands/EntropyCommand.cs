using System.CommandLine;
using AsymML.Analysis;
using AsymML.Cli.Rendering;
using AsymML.Data;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml entropy</c>: the paper's Figure 9 (patch-channel entropy per kernel size) on real images,
/// with the energy and time of the three split methods.</summary>
internal static class EntropyCommand
{
    public static Command Create()
    {
        Option<string> data = DataOptions.Data();
        Option<string> split = DataOptions.Split();
        Option<int> samples = DataOptions.Samples(1000);
        var kernels = new Option<int[]>("--kernels")
        {
            Description = "Kernel sizes, comma-separated.",
            DefaultValueFactory = _ => [1, 3, 5, 7, 9, 11],
            CustomParser = result => ParseKernels(result.Tokens.Count == 0 ? "" : string.Join(",", result.Tokens.Select(t => t.Value)), result),
        };
        Option<int> rank = DataOptions.Positive("--rank", "Rank r of the splits (capped at the number of patch-channels).", 4);
        Option<int> iterations = DataOptions.Positive("--iterations", "Iterations of Algorithm 1 and of the blocked split.", 2);
        var json = OptionRules.Output(new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." });
        var plot = OptionRules.Output(new Option<FileInfo?>("--plot") { Description = "Also draw the μ distribution per kernel size (PNG) to this file." });

        var command = new Command("entropy", "SVD-channel entropy of patch-channels per kernel size (paper, Figure 9) and the energy each split method keeps.")
        {
            data, split, samples, kernels, rank, iterations, json, plot,
        };
        command.SetAction(result =>
        {
            var options = new EntropyOptions(result.GetValue(data)!, result.GetValue(split)!, result.GetValue(samples),
                result.GetValue(kernels)!, result.GetValue(rank), result.GetValue(iterations), result.GetValue(json), result.GetValue(plot));
            return Run(options);
        });
        return command;
    }

    private sealed record EntropyOptions(string Data, string Split, int Samples, int[] Kernels, int Rank, int Iterations, FileInfo? Json, FileInfo? Plot);

    private static int Run(EntropyOptions options)
    {
        LabeledImages images = DataOptions.Load(options.Data, options.Split, options.Samples);
        using TorchSharp.torch.Tensor pixels = images.ToTensor();
        EntropyReport report = null!;
        AnsiConsole.Status().Start($"Analysing {images.Count} images…", _ =>
            report = EntropyStudy.Run(pixels, options.Kernels, options.Rank, options.Iterations));
        EntropyTable.Write(AnsiConsole.Console, report, $"{options.Data} ({options.Split})");
        if (options.Json is not null)
        {
            JsonReport.Write(options.Json.FullName, EntropyJson.From(report));
            AnsiConsole.MarkupLineInterpolated($"JSON written to [bold]{options.Json.FullName}[/]");
        }
        if (options.Plot is not null)
        {
            EntropyPlot.Save(options.Plot.FullName, report, $"{options.Data} ({options.Split})");
            AnsiConsole.MarkupLineInterpolated($"Plot written to [bold]{options.Plot.FullName}[/]");
        }
        return 0;
    }

    private static int[] ParseKernels(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        var values = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, out int k) || k < 1 || k > 31)
            {
                result.AddError($"--kernels: '{part}' is not a kernel size from 1 to 31 (give e.g. 1,3,5,7).");
                return [];
            }
            values.Add(k);
        }
        if (values.Count == 0) result.AddError("--kernels: give at least one kernel size, e.g. 1,3,5,7.");
        return values.ToArray();
    }
}
