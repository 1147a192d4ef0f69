using System.Globalization;
using System.Text;

namespace AsymML.Data;

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

    /// <summary>Records an inference batch: samples <paramref name="indices"/>, their [B, K] logits and [B] int64 labels.</summary>
    public void Add(ReadOnlySpan<long> indices, TorchSharp.torch.Tensor logits, TorchSharp.torch.Tensor labels)
    {
        using TorchSharp.torch.Tensor predictions = logits.argmax(1).cpu();
        using TorchSharp.torch.Tensor truth = labels.cpu();
        long[] predicted = predictions.data<long>().ToArray(), actual = truth.data<long>().ToArray();
        for (int i = 0; i < indices.Length; i++)
            Add(indices[i], predicted[i], actual[i]);
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
