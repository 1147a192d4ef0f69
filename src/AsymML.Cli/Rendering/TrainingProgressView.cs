using System.Diagnostics;
using System.Globalization;
using AsymML.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AsymML.Cli.Rendering;

/// <summary>
/// What a training run shows while it runs. On a terminal: the finished epochs' summaries, frozen, above the running
/// epoch's bar (steps, elapsed, ETA) and figures (loss, accuracy, samples/s, enclave/accelerator/boundary split),
/// every line fitted to the console's width (80 columns included); "evaluating the test set" once the steps are done.
/// In a log (stdout not a terminal): one plain line per tenth of an epoch and the epoch summaries, nothing redrawn.
/// </summary>
internal sealed class TrainingProgressView
{
    private readonly List<string> _finished = []; // markup
    private readonly Stopwatch _epochClock = new();
    private TrainingProgress? _current;
    private int _lastLogged = -1;

    /// <summary>Takes a report; in log mode returns the plain line to print when one is due, else null.</summary>
    public string? Report(TrainingProgress p, bool log)
    {
        if (_current is null || _current.Epoch != p.Epoch) _epochClock.Restart();
        _current = p;
        if (!log) return null;
        int every = Math.Max(1, p.Steps / 10);
        if (p.Evaluating) return Plain(p, _epochClock.Elapsed);
        if (p.Step == _lastLogged || (p.Step % every != 0 && p.Step != p.Steps)) return null;
        _lastLogged = p.Step;
        return Plain(p, _epochClock.Elapsed);
    }

    /// <summary>Freezes a finished epoch: its summary replaces the running lines.</summary>
    public void EpochDone(EpochSummary e, int epochs)
    {
        _finished.AddRange(Summary(e, epochs));
        _current = null;
        _lastLogged = -1;
    }

    /// <summary>The live view at <paramref name="width"/> columns.</summary>
    public IRenderable Render(int width)
    {
        var lines = new List<IRenderable>(_finished.Select(f => new Markup(f)));
        if (_current is TrainingProgress p) lines.AddRange(Running(p, _epochClock.Elapsed, width).Select(l => new Markup(l)));
        return new Rows(lines);
    }

    /// <summary>The summary of a finished epoch as markup lines of at most 80 columns.</summary>
    public static IReadOnlyList<string> Summary(EpochSummary e, int epochs)
    {
        string test = double.IsNaN(e.TestAccuracy) ? "no test set" : F($"[bold]test accuracy {e.TestAccuracy * 100:0.00}%[/]");
        return
        [
            F($"[bold]epoch {e.Epoch}/{epochs}[/] ({Clock(TimeSpan.FromSeconds(e.Seconds))}): train loss {e.TrainLoss:0.0000}, accuracy {e.TrainAccuracy * 100:0.00}% · ") + test,
            F($"  [grey]enclave {e.EnclaveSeconds:0} s · accelerator {e.AcceleratorSeconds:0} s · boundary {e.BoundarySeconds:0} s[/]"),
        ];
    }

    /// <summary>The running epoch's lines (markup), each at most <paramref name="width"/> columns.</summary>
    internal static IReadOnlyList<string> Running(TrainingProgress p, TimeSpan elapsed, int width)
    {
        double fraction = p.Steps == 0 ? 1 : (double)p.Step / p.Steps;
        string tail = p.Evaluating
            ? F($" {fraction * 100,3:0}% · evaluating the test set…")
            : F($" {fraction * 100,3:0}% {p.Step}/{p.Steps} {Clock(elapsed)} ETA {Eta(p, elapsed)}");
        string head = F($"epoch {p.Epoch}/{p.Epochs} ");
        int barWidth = Math.Clamp(width - head.Length - tail.Length, 0, 40);
        int full = (int)Math.Round(fraction * barWidth);
        string bar = barWidth == 0 ? "" : $"[green]{new string('━', full)}[/][grey]{new string('━', barWidth - full)}[/]";
        string figures = F($"loss {p.Loss:0.000} · accuracy {p.Accuracy * 100:0.0}% · {p.SamplesPerSecond:0} samples/s");
        string split = F($"enclave {p.EnclaveSeconds:0.0} s · accelerator {p.AcceleratorSeconds:0.0} s · boundary {p.BoundarySeconds:0.0} s");
        var lines = new List<string> { Markup.Escape(head) + bar + Markup.Escape(tail) };
        if (2 + figures.Length + 3 + split.Length <= width) lines.Add($"  {figures} · [grey]{split}[/]");
        else lines.AddRange([$"  {figures}", $"  [grey]{split}[/]"]);
        return lines;
    }

    /// <summary>One plain line for a log file.</summary>
    internal static string Plain(TrainingProgress p, TimeSpan elapsed) => p.Evaluating
        ? F($"epoch {p.Epoch}/{p.Epochs}: {p.Steps} steps done in {Clock(elapsed)}; evaluating the test set")
        : F($"epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.Steps} ({(double)p.Step / p.Steps * 100:0}%) {Clock(elapsed)} ETA {Eta(p, elapsed)} · loss {p.Loss:0.000} accuracy {p.Accuracy * 100:0.0}% {p.SamplesPerSecond:0} samples/s · enclave {p.EnclaveSeconds:0.0} s accelerator {p.AcceleratorSeconds:0.0} s boundary {p.BoundarySeconds:0.0} s");

    private static string Eta(TrainingProgress p, TimeSpan elapsed) =>
        p.Step == 0 ? "--:--" : Clock(elapsed * ((double)(p.Steps - p.Step) / p.Step));

    private static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? F($"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : F($"{t.Minutes}:{t.Seconds:00}");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
