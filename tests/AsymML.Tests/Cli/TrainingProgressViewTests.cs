using Xunit.Abstractions;
using AsymML.Cli.Rendering;
using AsymML.Training;
using Spectre.Console.Testing;

namespace AsymML.Tests.Cli;

/// <summary>The training display at 80 and 120 columns (Spectre's test console), and the plain lines of a log.</summary>
public sealed class TrainingProgressViewTests(ITestOutputHelper output)
{
    private static readonly TrainingProgress Running = new(1, 2, 210, 468, 0.8841, 0.6903, 76.4, 48.52, 21.93, 0.61);
    private static readonly EpochSummary Done = new(1, 0.70712, 0.7490, 0.51, 0.8000, 85.2, 71.3, 34.2, 1.4, 1_000_000, 5_000_000);

    private string[] Rendered(TrainingProgressView view, int width)
    {
        var console = new TestConsole().Width(width);
        console.Write(view.Render(width));
        string[] lines = console.Output.TrimEnd('\n').Split('\n');
        foreach (string l in lines) output.WriteLine($"|{l}|");
        return lines;
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void EveryLineFits_AndShowsStepsEtaAndTheSplit(int width)
    {
        var view = new TrainingProgressView();
        view.Report(Running, log: false);
        string[] lines = Rendered(view, width);

        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= width, $"{l.TrimEnd().Length} columns: {l}"));
        string text = string.Join("\n", lines);
        Assert.Contains("epoch 1/2", lines[0]);
        Assert.Contains("━", lines[0]); // the bar is there at 80 columns too
        Assert.Contains(" 45% 210/468 ", lines[0]);
        Assert.Contains("ETA ", lines[0]);
        Assert.Contains("loss 0.884 · accuracy 69.0% · 76 samples/s", text);
        Assert.Contains("enclave 48.5 s · accelerator 21.9 s · boundary 0.6 s", text);
        Assert.Equal(width >= 120 ? 2 : 3, lines.Length); // figures and split share a line where they fit
    }

    [Fact]
    public void FinishedEpochsAreFrozenAboveTheRunningOne_AndEvaluationIsShown()
    {
        var view = new TrainingProgressView();
        view.Report(Running with { Step = 468 }, log: false);
        view.Report(Running with { Step = 468, Evaluating = true }, log: false);
        Assert.Contains("evaluating the test set", Rendered(view, 80)[0]);

        view.EpochDone(Done, 2);
        view.Report(Running with { Epoch = 2, Step = 3 }, log: false);
        string[] lines = Rendered(view, 80);

        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= 80, l));
        Assert.StartsWith("epoch 1/2 (1:25): train loss 0.7071, accuracy 74.90% · test accuracy 80.00%", lines[0]);
        Assert.Equal("  enclave 71 s · accelerator 34 s · boundary 1 s", lines[1].TrimEnd());
        Assert.StartsWith("epoch 2/2 ", lines[2]);
        Assert.Contains(" 3/468 ", lines[2]);
    }

    [Fact]
    public void ALogGetsOnePlainLinePerTenthOfAnEpoch()
    {
        var view = new TrainingProgressView();
        var logged = new List<string>();
        for (int step = 1; step <= 468; step++)
            if (view.Report(Running with { Step = step }, log: true) is string line) logged.Add(line);
        if (view.Report(Running with { Step = 468, Evaluating = true }, log: true) is string evaluating) logged.Add(evaluating);

        Assert.Equal(12, logged.Count); // steps 46, 92, …, 460, then 468, then the evaluation
        Assert.StartsWith("epoch 1/2 step 46/468 (10%) ", logged[0]);
        Assert.StartsWith("epoch 1/2 step 468/468 (100%) ", logged[^2]);
        Assert.StartsWith("epoch 1/2: 468 steps done in ", logged[^1]);
        Assert.All(logged, l => Assert.False(l.Contains((char)0x1b), l)); // no escape codes in a log (a char test: culture-aware string search ignores control characters)
    }
}
