using System.Globalization;
using AsymML.IO;
using AsymML.Privacy.Frontier;
using ScottPlot;

namespace AsymML.Cli.Rendering;

/// <summary>The frontier as a scatter: attack SSIM (x) against test accuracy (y), one labelled point per setting
/// (with its trusted-time ratio), the target region bounded by the noise baseline + margin and untrusted-only − margin.</summary>
internal static class FrontierPlot
{
    public static void Save(string path, FrontierReport report, string title)
    {
        var plot = new Plot();
        foreach (FrontierRow r in report.Rows.Where(r => double.IsFinite(r.TestAccuracy)))
        {
            // Nothing crosses: the attack is at the noise baseline by construction; drawn at the smallest noise baseline.
            double x = r.AttackLayer is null ? report.Rows.Where(q => !double.IsNaN(q.NoiseSsim)).Select(q => q.NoiseSsim).DefaultIfEmpty(0).Min() : r.AttackSsim;
            var point = plot.Add.Marker(x, r.TestAccuracy * 100);
            point.Size = 9;
            var label = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"{r.Setting} (×{r.TrustedTimeRatio:0.00}{(double.IsNaN(r.Epsilon) ? "" : $", ε {r.Epsilon:G3}")})"), x, r.TestAccuracy * 100);
            label.LabelFontSize = 11;
        }
        double noise = report.Rows.Where(r => !double.IsNaN(r.NoiseSsim)).Select(r => r.NoiseSsim).DefaultIfEmpty(0).Max();
        var ssimLine = plot.Add.VerticalLine(noise + report.Options.SsimMargin);
        ssimLine.LegendText = "noise baseline + margin";
        var accuracyLine = plot.Add.HorizontalLine((report.UntrustedOnly.TestAccuracy - report.Options.AccuracyMargin) * 100);
        accuracyLine.LegendText = "untrusted-only − margin";
        accuracyLine.Color = Colors.Green;
        plot.XLabel("host's best feature-inversion SSIM (lower is more private)");
        plot.YLabel("test accuracy, %");
        plot.Title(title);
        plot.ShowLegend();
        byte[] png = plot.GetImageBytes(1100, 700, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
