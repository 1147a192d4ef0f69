using System.CommandLine;
using AsymML.Cli.Rendering;
using AsymML.Network;
using AsymML.Privacy.Audit;
using AsymML.Privacy.Estimators;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml analyze audit</c>: every tensor the host receives during real training steps, per split
/// layer and message kind, against the private tensor it derives from (estimator figure with interval, correlation).</summary>
internal static class AnalyzeAuditCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"Zoo model ({string.Join(", ", ModelZoo.Names)}).", DefaultValueFactory = _ => ModelZoo.SmallCnnName };
        Option<string> data = DataOptions.Data();
        Option<int> steps = DataOptions.Positive("--steps", "Training steps recorded and audited.", 2);
        var warmup = new Option<int>("--warmup-steps") { Description = "Training steps before the audited ones (not recorded).", DefaultValueFactory = _ => 0 };
        Option<int> batch = DataOptions.Positive("--batch", "Batch size of the steps (at least 2).", 16);
        Option<Decomposition.RankPolicy> policy = ExecutionOptions.RankPolicy();
        var nsr = new Option<double>("--nsr") { Description = "Noise-to-signal ratio of the mask on every residual (0 = exact).", DefaultValueFactory = _ => 0 };
        Option<int> samples = DataOptions.Positive("--samples", "Images measured per row (from the audited steps in order).", 8);
        var maxElements = new Option<int?>("--max-elements") { Description = "At most this many element positions per image (default: all, as the authors)." };
        Option<int> k = DataOptions.Positive("--k", "Neighbours of LNC.", 10);
        var alpha = new Option<double>("--alpha") { Description = "LNC threshold α.", DefaultValueFactory = _ => 0.4 };
        var seed = new Option<int>("--seed") { Description = "Seed of weights, noise, jitter and resampling.", DefaultValueFactory = _ => 1 };
        var json = OptionRules.Output(new Option<FileInfo?>("--json") { Description = "Also write the rows as JSON ({\"layers\": [...]}) to this file." });
        var plot = OptionRules.Output(new Option<FileInfo?>("--plot") { Description = "Also draw the relative leakage per row with its interval (PNG) to this file." });
        var command = new Command("audit", "Audit everything that crosses to the host during training steps: per split layer and message kind, the estimated leakage against the private tensor it derives from.")
        {
            model, data, steps, warmup, batch, policy, nsr, samples, maxElements, k, alpha, seed, json, plot,
        };
        command.SetAction(result =>
        {
            int w = result.GetValue(warmup), s = result.GetValue(steps), b = result.GetValue(batch);
            if (w < 0) throw new UserErrorException("--warmup-steps must be ≥ 0.", 1);
            if (b < 2) throw new UserErrorException("--batch must be at least 2 (BatchNorm).", 1);
            var options = new AuditOptions
            {
                RankPolicy = result.GetValue(policy)!, NoiseRatio = result.GetValue(nsr), WarmupSteps = w, Steps = s,
                BatchSize = b, Samples = result.GetValue(samples), Seed = result.GetValue(seed),
                Estimator = new PaperLeakageOptions { K = result.GetValue(k), Alpha = result.GetValue(alpha), MaxElements = result.GetValue(maxElements), Seed = result.GetValue(seed) },
            };
            return Run(result.GetValue(model)!, result.GetValue(data)!, options, result.GetValue(json), result.GetValue(plot));
        });
        return command;
    }

    private static int Run(string model, string data, AuditOptions options, FileInfo? json, FileInfo? plot)
    {
        var (spec, inputs, labels) = AnalysisSetup.Load(model, data, (options.WarmupSteps + options.Steps) * options.BatchSize);
        AuditReport report = null!;
        using (inputs)
        using (labels)
            AnsiConsole.Status().Start("Auditing…", ctx => report = TranscriptAudit.Run(spec, inputs, labels, options, progress: new Progress<string>(s => ctx.Status(s))));
        string title = $"{spec.Name} on {data}, {options.RankPolicy.Name} ranks, nsr {options.NoiseRatio}, {options.Steps} steps of {options.BatchSize} after {options.WarmupSteps}";
        Wide();
        var table = new Table().Title(Markup.Escape(title)).AddColumns("layer", "kind", "images", "relative leakage", "95% CI", "I(priv;cross) nats", "I(priv;priv) nats", "correlation");
        foreach (AuditRow row in report.Layers)
            table.AddRow(Markup.Escape(row.Layer), row.Kind, row.Images.ToString(), $"{row.RelativeLeakage:P2}", $"{row.CiLow:P2} – {row.CiHigh:P2}",
                $"{row.MeanNumerator:0.000}", $"{row.MeanDenominator:0.000}", $"{row.Correlation:0.000}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("ConvForward: X^U vs the input X; ConvBackward: dY vs the output Y; WeightGradients: dW_T vs each sample's contribution. StepResult carries no tensor. A small estimate is not evidence of privacy: see docs/privacy-estimators.md.");
        if (json is not null)
        {
            JsonReport.Write(json.FullName, report);
            AnsiConsole.MarkupLineInterpolated($"JSON written to [bold]{json.FullName}[/]");
        }
        if (plot is not null)
        {
            AuditPlot.Save(plot.FullName, report, title);
            AnsiConsole.MarkupLineInterpolated($"Plot written to [bold]{plot.FullName}[/]");
        }
        return 0;
    }

    /// <summary>A redirected console is 80 columns to Spectre, which wraps every cell of these tables: logs get 160.</summary>
    internal static void Wide()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
    }
}
