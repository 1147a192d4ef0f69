using AsymML.Training;
using AsymML.IO;
using ScottPlot;

namespace AsymML.Cli.Rendering;

/// <summary>Loss (left axis) and accuracy (right axis) per epoch, training and test.</summary>
internal static class TrainingPlot
{
    public static void Save(string path, IReadOnlyList<EpochSummary> history, string title)
    {
        var plot = new Plot();
        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
        var trainLoss = plot.Add.Scatter(epochs, history.Select(e => e.TrainLoss).ToArray());
        trainLoss.LegendText = "train loss";
        var testLoss = plot.Add.Scatter(epochs, history.Select(e => e.TestLoss).ToArray());
        testLoss.LegendText = "test loss";
        var trainAcc = plot.Add.Scatter(epochs, history.Select(e => e.TrainAccuracy * 100).ToArray());
        trainAcc.LegendText = "train accuracy %";
        trainAcc.Axes.YAxis = plot.Axes.Right;
        var testAcc = plot.Add.Scatter(epochs, history.Select(e => e.TestAccuracy * 100).ToArray());
        testAcc.LegendText = "test accuracy %";
        testAcc.Axes.YAxis = plot.Axes.Right;
        plot.XLabel("epoch");
        plot.YLabel("cross-entropy loss");
        plot.Axes.Right.Label.Text = "accuracy (%)";
        plot.Title($"Private training: {title}");
        plot.ShowLegend();
        byte[] png = plot.GetImageBytes(900, 560, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
