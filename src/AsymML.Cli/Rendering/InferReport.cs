using System.Globalization;
using AsymML.Training;
using Spectre.Console;

namespace AsymML.Cli.Rendering;

/// <summary>The figures of <c>asymml infer</c>, as written with <c>--json</c>, and their console form.</summary>
internal sealed record InferReport(string Model, string Mode, long Samples, double Loss, double Accuracy, double[] PerClassAccuracy,
    long[] Confusion, bool PredictionsSealed)
{
    public static InferReport From(InferenceOutcome o) => new(o.Model, o.Mode.ToString(), o.Evaluation.Count, o.Loss, o.Evaluation.Accuracy,
        o.Evaluation.PerClassAccuracy, o.Evaluation.Confusion, o.Evaluation.PredictionsSealed);

    /// <summary>The confusion matrix with per-class accuracy, and the overall accuracy.</summary>
    public void Print(IReadOnlyList<string>? names)
    {
        int classes = PerClassAccuracy.Length;
        string Name(int k) => names is not null && k < names.Count ? names[k] : k.ToString(CultureInfo.InvariantCulture);
        // Predicted classes by number, so ten columns fit 80 characters; the rows carry the names.
        var table = new Table().Title("Confusion matrix (rows: true class; columns: predicted class number)").AddColumn("true class");
        for (int k = 0; k < classes; k++) table.AddColumn(new TableColumn(k.ToString(CultureInfo.InvariantCulture)).RightAligned());
        table.AddColumn(new TableColumn("acc.").RightAligned());
        for (int k = 0; k < classes; k++)
            table.AddRow([$"{k} {Markup.Escape(Name(k))}", .. Enumerable.Range(0, classes).Select(j => Confusion[k * classes + j].ToString(CultureInfo.InvariantCulture)),
                PerClassAccuracy[k].ToString("0.00", CultureInfo.InvariantCulture)]);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[bold]Accuracy {Accuracy * 100:0.00}%[/] on {Samples} samples (mean loss {Loss:0.0000})."));
    }
}
