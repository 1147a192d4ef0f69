using System.Globalization;
using System.Text;

namespace AsymML.Enclave.Data;

/// <summary>What the inference steps on one data set found since the last report: the confusion matrix and each
/// sample's prediction. Private until the enclave seals the predictions to the data owner.</summary>
public sealed class Evaluation(int classes)
{
    private readonly List<(long Index, long Predicted, long Label)> _rows = [];

    /// <summary>Number of classes (K of the K × K matrix).</summary>
    public int Classes { get; } = classes;

    /// <summary>Row-major [true class, predicted class] counts.</summary>
    public long[] Confusion { get; } = new long[classes * classes];

    /// <summary>Records one sample's prediction.</summary>
    public void Add(long index, long predicted, long label)
    {
        if (label >= 0 && label < Classes)
            Confusion[label * Classes + predicted]++;
        _rows.Add((index, predicted, label));
    }

    /// <summary>"index,prediction,label" lines in sample order.</summary>
    public byte[] PredictionsCsv()
    {
        var csv = new StringBuilder("index,prediction,label\n");
        foreach (var (index, predicted, label) in _rows.OrderBy(r => r.Index))
            csv.Append(CultureInfo.InvariantCulture, $"{index},{predicted},{label}\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
