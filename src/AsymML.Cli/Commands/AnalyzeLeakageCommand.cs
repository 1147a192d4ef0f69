using System.CommandLine;
using System.Globalization;
using AsymML.Boundary.Messages;
using AsymML.Cli.Rendering;
using AsymML.Network;
using AsymML.Privacy.Audit;
using AsymML.Privacy.Estimators;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml analyze leakage</c>: the paper's leakage figure (Figure 7: per image, LNC(X, X^U) / LNC(X, X)
/// at a split convolution) on real images, or with <c>--validate</c> the estimator checks on data of known MI.</summary>
internal static class AnalyzeLeakageCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"Zoo model ({string.Join(", ", ModelZoo.Names)}).", DefaultValueFactory = _ => ModelZoo.SmallCnnName };
        Option<string> data = DataOptions.Data();
        Option<Decomposition.RankPolicy> policy = ExecutionOptions.RankPolicy();
        var nsr = new Option<double>("--nsr") { Description = "Noise-to-signal ratio of the mask on every residual (0 = exact).", DefaultValueFactory = _ => 0 };
        Option<int> samples = DataOptions.Positive("--samples", "Images measured (one training batch of this size, at least 2).", 16);
        var warmup = new Option<int>("--warmup-steps") { Description = "Training steps (batches of --samples) before the measured one.", DefaultValueFactory = _ => 0 };
        var layer = new Option<string?>("--layer") { Description = "Split convolution to measure (default: the first split one)." };
        Option<int> k = DataOptions.Positive("--k", "Neighbours of LNC (the authors: 50 on input images, 10 on intermediate features).", 10);
        var alpha = new Option<double>("--alpha") { Description = "LNC threshold α (the authors: 0.4).", DefaultValueFactory = _ => 0.4 };
        var maxElements = new Option<int?>("--max-elements") { Description = "At most this many element positions per image (default: all, as the authors)." };
        var seed = new Option<int>("--seed") { Description = "Seed of weights, noise, jitter and resampling.", DefaultValueFactory = _ => 1 };
        var validate = new Option<bool>("--validate") { Description = "Instead: validate KSG and LNC on data of known MI (Gaussians d = 1, 2, 4; independence; ties; interval coverage)." };
        var n = new Option<int>("--n") { Description = "With --validate: samples per synthetic data set.", DefaultValueFactory = _ => 10_000 };
        var repeats = new Option<int>("--repeats") { Description = "With --validate: Gaussian data sets per (d, ρ).", DefaultValueFactory = _ => 10 };
        var json = OptionRules.Output(new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." });
        var command = new Command("leakage", "Mutual-information leakage estimates: the paper's relative-MI figure at a split convolution, or (--validate) the estimators' validation.")
        {
            model, data, policy, nsr, samples, warmup, layer, k, alpha, maxElements, seed, validate, n, repeats, json,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(validate))
                return Validate(result.GetValue(n), result.GetValue(repeats), result.GetValue(seed), result.GetValue(json));
            var estimator = new PaperLeakageOptions { K = result.GetValue(k), Alpha = result.GetValue(alpha), MaxElements = result.GetValue(maxElements), Seed = result.GetValue(seed) };
            return Paper(result.GetValue(model)!, result.GetValue(data)!, result.GetValue(policy)!, result.GetValue(nsr), Math.Max(2, result.GetValue(samples)),
                result.GetValue(warmup), result.GetValue(layer), estimator, result.GetValue(seed), result.GetValue(json));
        });
        return command;
    }

    private static int Paper(string model, string data, Decomposition.RankPolicy policy, double nsr, int samples, int warmup, string? layer, PaperLeakageOptions estimator, int seed, FileInfo? json)
    {
        if (warmup < 0) throw new UserErrorException("--warmup-steps must be ≥ 0.", 1);
        var (spec, inputs, labels) = AnalysisSetup.Load(model, data, (warmup + 1) * samples);
        using (inputs)
        using (labels)
        {
            string target = layer ?? FirstSplitLayer(spec, (int)inputs.shape[2], policy);
            var options = new AuditOptions
            {
                RankPolicy = policy, NoiseRatio = nsr, WarmupSteps = warmup, Steps = 1, BatchSize = samples, Samples = samples,
                Estimator = estimator, Seed = seed, Include = (l, kind) => l == target && kind == MessageKind.ConvForward,
            };
            AuditReport report = Run(() => TranscriptAudit.Run(spec, inputs, labels, options));
            if (report.Layers.Count == 0)
                throw new UserErrorException($"--layer '{target}' is not a split convolution of {spec.Name} under '{policy.Name}'.", 1);
            AuditRow row = report.Layers[0];
            AnsiConsole.MarkupLineInterpolated($"[bold]{spec.Name}[/] on {data}, {policy.Name} ranks, nsr {nsr}, after {warmup} training steps: X^U of [bold]{target}[/] vs its input X");
            AnsiConsole.MarkupLineInterpolated($"LNC k={estimator.K} α={estimator.Alpha}, {row.Images} images: relative leakage [bold]{row.RelativeLeakage:P2}[/] (95% CI {row.CiLow:P2} – {row.CiHigh:P2}); mean I(X;X^U) {row.MeanNumerator:0.000} nats / I(X;X) {row.MeanDenominator:0.000} nats; correlation {row.Correlation:0.000}");
            if (json is not null)
            {
                JsonReport.Write(json.FullName, report);
                AnsiConsole.MarkupLineInterpolated($"JSON written to [bold]{json.FullName}[/]");
            }
        }
        return 0;
    }

    private static string FirstSplitLayer(NetworkSpec spec, int size, Decomposition.RankPolicy policy) =>
        policy.Assign(spec.Convolutions(size, size)).FirstOrDefault(r => r.Split)?.Layer.Name
        ?? throw new UserErrorException($"No convolution of {spec.Name} is split under '{policy.Name}': nothing crosses.", 1);

    private static AuditReport Run(Func<AuditReport> audit)
    {
        AuditReport report = null!;
        AnsiConsole.Status().Start("Measuring…", _ => report = audit());
        return report;
    }

    private static int Validate(int n, int repeats, int seed, FileInfo? json)
    {
        if (n < 100) throw new UserErrorException("--n must be at least 100.", 1);
        if (repeats < 1) throw new UserErrorException("--repeats must be at least 1.", 1);
        var options = new ValidationOptions { Samples = n, CoverageSamples = Math.Min(2000, n), Repeats = repeats, Seed = seed };
        ValidationReport report = null!;
        AnsiConsole.Status().Start("Validating…", ctx => report = EstimatorValidation.Run(options, new Progress<string>(s => ctx.Status(s))));
        AnalyzeAuditCommand.Wide();
        var g = new Table().AddColumns("d", "ρ", "n", "true MI", report.KsgName, "sd", "bias", "LNC", "sd", "bias", "LNC α");
        foreach (GaussianCheck c in report.Gaussians)
            g.AddRow(Cells(c.Dimension, c.Rho, c.Samples, c.Truth, c.Ksg, c.KsgStd, Pct(c.KsgError), c.Lnc, c.LncStd, Pct(c.LncError), c.LncAlpha));
        AnsiConsole.Write(g.Title($"Correlated Gaussians (nats; mean and sd over {options.Repeats} data sets)"));
        var ind = new Table().AddColumns("data", "estimator", "estimate", "permutation mean", "permutation std");
        foreach (BaselineCheck c in report.Independent)
            ind.AddRow(Cells(c.Data, c.Estimator, c.Estimate, c.PermutationMean, c.PermutationStd));
        AnsiConsole.Write(ind.Title("Independent data"));
        var t = new Table().AddColumns("data", "true MI", "naive KSG", "KSG + jitter", "LNC + jitter", "permutation (KSG + jitter)");
        foreach (TieCheck c in report.Ties)
            t.AddRow(Cells(c.Data, c.Truth, c.NaiveKsg, c.KsgJittered, c.LncJittered, $"{F(c.PermutationMean)} ± {F(c.PermutationStd)}"));
        AnsiConsole.Write(t.Title($"Exact ties ({options.ZeroShare:P0} zeros; jitter 1e-8·std)"));
        var cov = new Table().AddColumns("interval (95%)", "covered", "mean width");
        foreach (CoverageCheck c in report.Coverage)
            cov.AddRow(Cells(c.Scheme, $"{c.Covered}/{c.Trials}", c.MeanWidth));
        AnsiConsole.Write(cov.Title($"Coverage, KSG on Gaussians d=1 ρ={options.CoverageRho}, n={options.CoverageSamples}, {options.Replicates} resamples"));
        if (json is not null)
        {
            JsonReport.Write(json.FullName, report);
            AnsiConsole.MarkupLineInterpolated($"JSON written to [bold]{json.FullName}[/]");
        }
        return 0;
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Pct(double v) => v.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture);

    private static string[] Cells(params object[] values) => values.Select(v => Markup.Escape(v switch
    {
        double d => F(d),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    })).ToArray();
}
