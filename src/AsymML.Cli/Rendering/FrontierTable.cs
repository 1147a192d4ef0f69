using System.Globalization;
using AsymML.Privacy.Frontier;
using Spectre.Console;

namespace AsymML.Cli.Rendering;

/// <summary>The frontier as a console table, with the verdict on the targets.</summary>
internal static class FrontierTable
{
    public static void Print(FrontierReport report)
    {
        var table = new Table().Title($"{report.Model}: privacy / speed / accuracy frontier")
            .AddColumns("setting", "attack layer", "attack SSIM", "noise SSIM", "unprot. SSIM", "test acc", "trusted ×TEE", "ε (δ)");
        foreach (FrontierRow r in new[] { report.UntrustedOnly, report.TeeOnly }.Concat(report.Rows))
            table.AddRow(Markup.Escape(r.Setting), r.AttackLayer ?? (r.Mode == "Asym" ? "nothing crosses" : "–"), F(r.AttackSsim), F(r.NoiseSsim), F(r.UnprotectedSsim),
                I($"{r.TestAccuracy * 100:0.00}%"), r.Mode == "UntrustedOnly" ? "–" : I($"{r.TrustedTimeRatio:0.00}"),
                double.IsNaN(r.Epsilon) ? "–" : I($"{r.Epsilon:G4} ({r.Delta:0e0})"));
        AnsiConsole.Write(table);
        foreach (FrontierRow r in report.Rows.Where(r => r.TrainingFailure is not null))
            AnsiConsole.MarkupLine(Markup.Escape($"{r.Setting}: training failed: {r.TrainingFailure}"));
        FrontierOptions o = report.Options;
        AnsiConsole.MarkupLine(Markup.Escape(report.Private.Count > 0
            ? I($"Attack within {o.SsimMargin} of the noise baseline and accuracy within {o.AccuracyMargin * 100:0.#} point(s) of untrusted-only ({report.UntrustedOnly.TestAccuracy * 100:0.00}%): {string.Join(", ", report.Private)}.")
            : I($"No setting has the attack within {o.SsimMargin} of the noise baseline and accuracy within {o.AccuracyMargin * 100:0.#} point(s) of untrusted-only ({report.UntrustedOnly.TestAccuracy * 100:0.00}%).")));
        AnsiConsole.MarkupLine(Markup.Escape(I($"Times are trusted-side compute over the same training steps, measured one after another in this process ({report.Seconds:0} s in all).")));
    }

    private static string F(double v) => double.IsNaN(v) ? "–" : I($"{v:0.000}");

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
