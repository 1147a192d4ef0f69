using AsymML.IO;
using AsymML.Privacy.Audit;
using ScottPlot;

namespace AsymML.Cli.Rendering;

/// <summary>The audit as a bar chart: relative leakage (%) per (layer, kind) with its 95% interval.</summary>
internal static class AuditPlot
{
    public static void Save(string path, AuditReport report, string title)
    {
        var plot = new Plot();
        double[] positions = report.Layers.Select((_, i) => (double)i).ToArray();
        double[] values = report.Layers.Select(r => r.RelativeLeakage * 100).ToArray();
        var bars = plot.Add.Bars(positions, values);
        bars.LegendText = "relative leakage (LNC, paper protocol)";
        // Half-sampling intervals are symmetric (estimate ± z·se): one half-width per bar.
        var errors = plot.Add.ErrorBar(positions, values, report.Layers.Select(r => (r.CiHigh - r.CiLow) / 2 * 100).ToArray());
        errors.Color = Colors.Black;
        plot.Axes.Bottom.SetTicks(positions, report.Layers.Select(r => $"{r.Layer}\n{r.Kind}").ToArray());
        plot.YLabel("I(private; crossing) / I(private; private), %");
        plot.Title(title);
        plot.Axes.Margins(bottom: 0);
        byte[] png = plot.GetImageBytes(Math.Max(900, 130 * report.Layers.Count), 560, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
