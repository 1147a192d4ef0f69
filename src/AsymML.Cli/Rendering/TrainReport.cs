using System.Globalization;
using AsymML.Training;
using Spectre.Console;
using AsymML.Data;

namespace AsymML.Cli.Rendering;

/// <summary>The figures of <c>asymml train</c>, as printed and as written with <c>--json</c>.</summary>
internal sealed record TrainReport(
    string Mode, string Model, int Epochs, double TrainLoss, double TrainAccuracy, double TestAccuracy, double TrainSeconds,
    double EnclaveSeconds, double AcceleratorSeconds, double BoundarySeconds, long BoundaryBytes, long EnclavePeakBytes,
    string RankPolicy, double Nsr, int ResumedAfterEpoch, IReadOnlyList<EpochSummary> History, IReadOnlyList<TrainReport.ClassAccuracy>? PerClassAccuracy,
    long[]? Confusion, bool PredictionsSealed, TrainReport.ResidualGuarantee? ResidualPrivacy = null, string Mask = "off")
{
    public static TrainReport From(string model, PrivateTrainingOptions o, TrainingOutcome outcome, IReadOnlyList<string>? classNames)
    {
        IReadOnlyList<EpochSummary> h = outcome.History;
        EpochSummary last = h[^1];
        var perClass = outcome.Evaluation?.PerClassAccuracy
            .Select((a, k) => new ClassAccuracy(k, classNames is not null && k < classNames.Count ? classNames[k] : k.ToString(CultureInfo.InvariantCulture), a))
            .ToList();
        return new TrainReport(o.Mode.ToString(), model, last.Epoch, last.TrainLoss, last.TrainAccuracy, last.TestAccuracy,
            h.Sum(e => e.Seconds), h.Sum(e => e.EnclaveSeconds), h.Sum(e => e.AcceleratorSeconds), h.Sum(e => e.BoundarySeconds),
            h.Sum(e => e.BoundaryBytes), h.Max(e => e.EnclavePeakBytes), o.RankPolicy.Name, o.NoiseRatio, outcome.ResumedAfterEpoch, h,
            perClass, outcome.Evaluation?.Confusion, outcome.Evaluation?.PredictionsSealed ?? false,
            o.ResidualPrivacy is { } p ? new ResidualGuarantee(p.NoiseMultiplier, p.ClipNorm, p.ClipQuantile, p.Delta, last.ResidualEpsilon, last.MaxResidualReleases) : null,
            o.Mask?.Name ?? "off");
    }

    public void Print()
    {
        // Eight narrow columns fit an 80-column terminal or CI log; the rest is in --json.
        var table = new Table().Title($"{Model}, {Mode}").AddColumns("epoch", "loss", "train acc", "test acc", "s", "enclave", "accel.", "boundary");
        foreach (EpochSummary e in History)
            table.AddRow(I($"{e.Epoch}"), I($"{e.TrainLoss:0.000}"), I($"{e.TrainAccuracy * 100:0.00}%"), I($"{e.TestAccuracy * 100:0.00}%"),
                I($"{e.Seconds:0}"), I($"{e.EnclaveSeconds:0}"), I($"{e.AcceleratorSeconds:0}"), I($"{e.BoundarySeconds:0}"));
        AnsiConsole.Write(table);
        if (PerClassAccuracy is not null)
            AnsiConsole.MarkupLineInterpolated($"Per-class test accuracy: {string.Join(", ", PerClassAccuracy.Select(c => I($"{c.Name} {c.Accuracy:0.000}")))}");
        double total = EnclaveSeconds + AcceleratorSeconds + BoundarySeconds;
        AnsiConsole.MarkupLine(I($"[bold]Test accuracy {TestAccuracy * 100:0.00}%[/] after {Epochs} epochs; training took {TrainSeconds:0.0} s: enclave {EnclaveSeconds:0.0} s ({Share(EnclaveSeconds, total)}), accelerator {AcceleratorSeconds:0.0} s ({Share(AcceleratorSeconds, total)}), boundary {BoundarySeconds:0.0} s ({Share(BoundarySeconds, total)}), {BoundaryBytes / 1e9:0.00} GB crossed; enclave private-memory peak {EnclavePeakBytes / 1e6:0.0} MB."));
    }

    /// <summary>Prints the enclave's guarantee, when the residual mechanism ran.</summary>
    public void PrintGuarantee()
    {
        if (ResidualPrivacy is not { } g) return;
        AnsiConsole.MarkupLine(I($"[bold]Residual Gaussian mechanism (σ {g.NoiseMultiplier}, C {(g.ClipNorm is double c ? I($"{c}") : I($"quantile {g.ClipQuantile} per layer"))}): the enclave reports ({g.Epsilon:0.00}, {g.Delta:0.#e0})-DP[/] per image for the residuals it released ({g.MaxReleases} releases of the worst image; replace-one, Rényi DP). dY and the weight gradients are not covered: see docs/privacy-defences.md."));
    }

    private static string Share(double part, double total) => total > 0 ? I($"{part / total * 100:0}%") : "–";

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public sealed record ClassAccuracy(int Class, string Name, double Accuracy);

    /// <summary>The residual mechanism's settings and the enclave's (ε, δ) for the run.</summary>
    public sealed record ResidualGuarantee(double NoiseMultiplier, double? ClipNorm, double ClipQuantile, double Delta, double Epsilon, long MaxReleases);
}
