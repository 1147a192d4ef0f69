namespace AsymML.Execution;

/// <summary>What inference on a whole data set found.</summary>
/// <param name="Classes">K.</param>
/// <param name="Confusion">Row-major K × K counts, row = true class, column = prediction (an aggregate).</param>
/// <param name="Predictions">CSV "index,prediction,label": sealed to the data owner's key when
/// <paramref name="PredictionsSealed"/>, else plaintext.</param>
/// <param name="PredictionsSealed">Whether the host can read <paramref name="Predictions"/> (false) or not (true).</param>
public sealed record EvaluationResult(int Classes, long[] Confusion, byte[] Predictions, bool PredictionsSealed)
{
    /// <summary>Samples evaluated.</summary>
    public long Count => Confusion.Sum();

    /// <summary>Top-1 accuracy over all samples.</summary>
    public double Accuracy => Count == 0 ? 0 : Enumerable.Range(0, Classes).Sum(k => Confusion[k * Classes + k]) / (double)Count;

    /// <summary>Accuracy of each true class (NaN for a class with no samples).</summary>
    public double[] PerClassAccuracy => Enumerable.Range(0, Classes).Select(k =>
    {
        long row = Enumerable.Range(0, Classes).Sum(j => Confusion[k * Classes + j]);
        return row == 0 ? double.NaN : Confusion[k * Classes + k] / (double)row;
    }).ToArray();
}
