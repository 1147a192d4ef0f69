using AsymML.Analysis;
using AsymML.IO;
using ScottPlot;

namespace AsymML.Cli.Rendering;

/// <summary>Figure 9 of the paper: the distribution of μ per kernel size (box and points) with the mean as a line.</summary>
internal static class EntropyPlot
{
    public static void Save(string path, EntropyReport report, string source)
    {
        var plot = new Plot();
        double[] positions = report.Kernels.Select((_, i) => (double)i).ToArray();
        foreach ((KernelEntropy k, double x) in report.Kernels.Zip(positions))
        {
            var population = plot.Add.Population(k.Mu, x);
            population.Bar.IsVisible = false;
            population.BoxValueConfig = ScottPlot.Plottables.PopulationSymbol.BoxValueConfigurator_MedianQuantileExtrema;
        }
        var mean = plot.Add.Scatter(positions, report.Kernels.Select(k => k.MuMean).ToArray());
        mean.LegendText = "mean μ";
        mean.LineWidth = 2;
        plot.Axes.Bottom.SetTicks(positions, report.Kernels.Select(k => $"{k.K}×{k.K}").ToArray());
        plot.XLabel("kernel size");
        plot.YLabel("SVD-channel entropy μ of patch-channels (bits)");
        plot.Title($"Patch-channel entropy, {report.Samples} images of {source}");
        plot.ShowLegend();
        byte[] png = plot.GetImageBytes(900, 560, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
