using AsymML.Data;
using static TorchSharp.torch;

namespace AsymML.Execution.Plaintext;

/// <summary>
/// The untrusted-only baseline's data: plaintext sets held by the host, by name, and their batches. It runs no enclave
/// code and never sees a key: sealed data must be opened by its owner first. Batches are made by the same
/// <see cref="ImageBatches"/> as the enclave's (statistics of the first set, augmentation keyed by the seed), so the
/// baseline trains on exactly the batches the split does.
/// </summary>
internal sealed class HostDataSets(Augmentation? augmentation, long? augmentationSeed)
{
    private readonly Dictionary<string, LabeledImages> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Evaluation> _evaluations = new(StringComparer.Ordinal);
    private readonly byte[] _augmentationSecret = ImageBatches.AugmentationSecret(augmentationSeed);
    private Normalization? _normalization;

    /// <summary>Adds a plaintext set; returns its sample count.</summary>
    /// <exception cref="ExecutionException">Sealed data, a taken name, an empty set, or images of another size.</exception>
    public int Add(string split, DataSource source)
    {
        if (source is not PlainDataSource plain)
            throw new ExecutionException($"The untrusted-only baseline has no enclave to open the sealed data set '{split}': the data owner must open it first (PrivateTraining and asymml do, with a warning).");
        LabeledImages images = plain.Images;
        if (_sets.ContainsKey(split))
            throw new ExecutionException($"The data set '{split}' is already provisioned.");
        if (images.Count == 0)
            throw new ExecutionException($"Data set '{split}' is empty.");
        if (_sets.Values.FirstOrDefault() is { } first && (first.Channels, first.Rows, first.Cols) != (images.Channels, images.Rows, images.Cols))
            throw new ExecutionException($"Data set '{split}' has {images.Channels}×{images.Rows}×{images.Cols} images; the first set has {first.Channels}×{first.Rows}×{first.Cols}.");
        _normalization ??= Normalization.FromData(images); // statistics of the first (training) set, as in the enclave
        _sets[split] = images;
        return images.Count;
    }

    /// <summary>The batch of samples <paramref name="indices"/> of <paramref name="split"/> (see <see cref="ImageBatches.Make"/>).</summary>
    public (Tensor Input, Tensor Labels) Batch(string split, ReadOnlySpan<long> indices, long sequence, bool training)
    {
        LabeledImages set = _sets.TryGetValue(split, out LabeledImages? s)
            ? s
            : throw new ExecutionException($"No data set '{split}' was provisioned (have: {string.Join(", ", _sets.Keys)}).");
        try
        {
            return ImageBatches.Make(set, indices, _normalization!, training ? augmentation : null,
                ImageBatches.AugmentationSeed(_augmentationSecret, sequence));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ExecutionException($"Batch of '{split}': {e.Message}", e);
        }
    }

    /// <summary>Keeps the predictions of an inference batch for <see cref="TakeEvaluation"/>.</summary>
    public void RecordPredictions(string split, ReadOnlySpan<long> indices, Tensor logits, Tensor labels)
    {
        if (!_evaluations.TryGetValue(split, out Evaluation? e))
            _evaluations[split] = e = new Evaluation((int)logits.shape[1]);
        e.Add(indices, logits, labels);
    }

    /// <summary>The evaluation of <paramref name="split"/> since the last call, with plaintext predictions (this
    /// baseline has no key: the host has seen the data anyway).</summary>
    public EvaluationResult TakeEvaluation(string split)
    {
        Evaluation e = _evaluations.Remove(split, out Evaluation? found)
            ? found
            : throw new ExecutionException($"No inference step ran on '{split}' since the last evaluation.");
        return new EvaluationResult(e.Classes, e.Confusion, e.PredictionsCsv(), false);
    }
}
