using AsymML.Boundary.Messages;
using AsymML.Data;
using AsymML.Sealing;
using static TorchSharp.torch;
using AsymML.Enclave.Sealing;
using AsymML.Boundary.Session;

namespace AsymML.Enclave.Data;

/// <summary>
/// The data sets the enclave holds in plaintext, by name ("train", "test"), and the batches it makes of them.
/// Sealed sets arrive as the file's bytes — header, chunk records, end — and are opened here with the data owner's
/// key; a set is usable only after its last check passed, so a tampered, truncated, reordered or foreign chunk, or
/// a wrong key, stops provisioning before any sample is used. Normalisation statistics come from the first set
/// provisioned (the training set) and never leave; augmentation draws from a generator seeded by a secret of the
/// enclave and the batch's sequence number, so a resumed run repeats an uninterrupted one and the host cannot
/// choose the randomness.
/// </summary>
public sealed class PrivateDataSets : IDisposable
{
    private readonly Dictionary<string, LabeledImages> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingSealedSet> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Evaluation> _evaluations = new(StringComparer.Ordinal);
    private readonly PrivateDataOptions _options;
    private readonly byte[] _augmentationSecret;
    private SealKey? _key;
    private Normalization? _normalization;

    /// <summary>Key file, augmentation and its seed.</summary>
    public PrivateDataOptions Options => _options;

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">Key file, augmentation and its seed.</param>
    public PrivateDataSets(PrivateDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        // The augmentation secret: derived from the seed when one is given (reproducible runs), else random.
        _augmentationSecret = ImageBatches.AugmentationSecret(options.AugmentationSeed);
    }

    /// <summary>The provisioned, checked sets by name.</summary>
    public IReadOnlyDictionary<string, LabeledImages> Sets => _sets;

    /// <summary>Whether a key is configured (sealed input, sealed predictions).</summary>
    public bool HasKey => _options.KeyFile is not null;

    /// <summary>Takes one provisioning message from the host (its tensors' types and shapes passed the gate).</summary>
    /// <returns>The set's sample count once it is complete and usable; null while a sealed set is still arriving.</returns>
    /// <exception cref="EnclaveException">A taken name, no key.</exception>
    /// <exception cref="SealedDataException">A sealed piece failed a check (the exception says which).</exception>
    public int? Accept(BoundaryMessage message)
    {
        switch (message)
        {
            case ProvisionData data:
                long[] shape = data.Pixels.shape;
                var images = new LabeledImages(data.Pixels.bytes.ToArray(), data.Labels.bytes.ToArray(), (int)shape[0], (int)shape[1], (int)shape[2], (int)shape[3]);
                AddPlain(data.Split, images);
                return images.Count;
            case ProvisionSealed piece:
                switch (piece.Part)
                {
                    case SealedPart.Header: BeginSealed(piece.Split, piece.Bytes.bytes); return null;
                    case SealedPart.Chunk: AddSealedChunk(piece.Split, piece.Index, piece.Bytes.bytes); return null;
                    default: return EndSealed(piece.Split);
                }
            default:
                throw new EnclaveException($"{message.Kind} does not provision data.");
        }
    }

    /// <summary>Adds a plaintext set (plain mode: the host has seen it).</summary>
    /// <exception cref="EnclaveException">The name is taken or the set does not fit the first one.</exception>
    public void AddPlain(string split, LabeledImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        Add(split, images);
    }

    /// <summary>Starts a sealed set from its header bytes: checks the key id and the header MAC.</summary>
    /// <exception cref="EnclaveException">No key configured, or the name is taken.</exception>
    /// <exception cref="SealedDataException">Wrong key, or the header was altered.</exception>
    public void BeginSealed(string split, ReadOnlySpan<byte> header)
    {
        CheckNewName(split);
        _pending.Remove(split);
        if (!HasKey)
            throw new EnclaveException($"The host provisioned the sealed data set '{split}', but the enclave has no key: give it the data owner's key file.");
        _pending[split] = new PendingSealedSet(new SealedChunkOpener(Key(), header));
    }

    /// <summary>Opens chunk <paramref name="index"/> of a sealed set; its samples are kept only once the whole set passes.</summary>
    /// <exception cref="SealedDataException">The chunk is out of order, foreign, tampered or malformed.</exception>
    public void AddSealedChunk(string split, long index, ReadOnlySpan<byte> record)
    {
        PendingSealedSet pending = Pending(split);
        try
        {
            pending.Chunks.Add(pending.Opener.Open(index, record));
        }
        catch
        {
            _pending.Remove(split); // one failed check poisons the whole set
            throw;
        }
    }

    /// <summary>Ends a sealed set: checks no chunk is missing and makes it usable.</summary>
    /// <returns>The set's sample count.</returns>
    /// <exception cref="SealedDataException">Chunks are missing (truncated file).</exception>
    public int EndSealed(string split)
    {
        PendingSealedSet pending = Pending(split);
        _pending.Remove(split);
        pending.Opener.Complete(pending.Chunks.Count);
        if (pending.Chunks.Count == 0)
            throw new EnclaveException($"The sealed data set '{split}' has no samples.");
        LabeledImages images = Concatenate(pending.Chunks);
        Add(split, images);
        return images.Count;
    }

    /// <summary>
    /// The batch of samples <paramref name="indices"/> of <paramref name="split"/>: normalised float32 [B, C, H, W]
    /// (augmented when <paramref name="training"/> and augmentation is on) and int64 labels [B].
    /// </summary>
    /// <exception cref="EnclaveException">Unknown set, or an index out of range.</exception>
    public (Tensor Input, Tensor Labels) Batch(string split, ReadOnlySpan<long> indices, long sequence, bool training)
    {
        LabeledImages set = _sets.TryGetValue(split, out LabeledImages? s)
            ? s
            : throw new EnclaveException($"The host asked for a batch of '{split}', which was not provisioned (have: {string.Join(", ", _sets.Keys)}).");
        if (indices.Length == 0)
            throw new EnclaveException($"The host asked for an empty batch of '{split}'.");
        foreach (long index in indices)
            if (index < 0 || index >= set.Count)
                throw new EnclaveException($"The host asked for sample {index} of '{split}', which has {set.Count}.");
        return ImageBatches.Make(set, indices, _normalization!, training ? _options.Augmentation : null,
            ImageBatches.AugmentationSeed(_augmentationSecret, sequence));
    }

    /// <summary>Keeps the predictions of an inference batch of <paramref name="split"/> for <see cref="TakeEvaluation"/>.</summary>
    /// <param name="split">The data set.</param>
    /// <param name="indices">Sample positions of the batch.</param>
    /// <param name="logits">[B, K] logits.</param>
    /// <param name="labels">[B] int64 labels.</param>
    public void RecordPredictions(string split, ReadOnlySpan<long> indices, Tensor logits, Tensor labels)
    {
        if (!_evaluations.TryGetValue(split, out Evaluation? e))
            _evaluations[split] = e = new Evaluation((int)logits.shape[1]);
        e.Add(indices, logits, labels);
    }

    /// <summary>The evaluation of <paramref name="split"/> since the last call, with its predictions CSV sealed to the
    /// data owner's key when there is one (plaintext only without a key, i.e. for plain data the host has seen).</summary>
    /// <exception cref="EnclaveException">No inference step ran on the set since the last call.</exception>
    public (Evaluation Evaluation, byte[] Predictions, bool Sealed) TakeEvaluation(string split)
    {
        Evaluation e = _evaluations.Remove(split, out Evaluation? found)
            ? found
            : throw new EnclaveException($"No inference step ran on '{split}' since the last evaluation.");
        byte[] csv = e.PredictionsCsv();
        return HasKey ? (e, SealedBlob.Seal(csv, Key(), "predictions of " + split), true) : (e, csv, false);
    }

    /// <summary>The MAC key of exported states (HKDF of the owner's key), or null in a session without a key. The caller
    /// zeroes it after use.</summary>
    public byte[]? CheckpointMacKey() => HasKey ? Key().DeriveHkdfSubkey(SealKey.CheckpointMacLabel) : null;

    private SealKey Key() => _key ??= _options.KeyFile is string path
        ? SealKey.Load(path)
        : throw new EnclaveException("The enclave has no key: give it the data owner's key file.");

    /// <summary>Bytes of plaintext samples held (for the memory ledger).</summary>
    public long Bytes(string split) => _sets.TryGetValue(split, out LabeledImages? s) ? s.Pixels.LongLength + s.Labels.LongLength : 0;

    private void Add(string split, LabeledImages images)
    {
        CheckNewName(split);
        LabeledImages? first = _sets.Values.FirstOrDefault();
        if (first is not null && (first.Channels, first.Rows, first.Cols) != (images.Channels, images.Rows, images.Cols))
            throw new EnclaveException($"Data set '{split}' has {images.Channels}×{images.Rows}×{images.Cols} images; the first set has {first.Channels}×{first.Rows}×{first.Cols}.");
        if (images.Count == 0)
            throw new EnclaveException($"Data set '{split}' is empty.");
        _normalization ??= Normalization.FromData(images); // statistics of the first (training) set only
        _sets[split] = images;
    }

    private void CheckNewName(string split)
    {
        ArgumentException.ThrowIfNullOrEmpty(split);
        if (_sets.ContainsKey(split))
            throw new EnclaveException($"The data set '{split}' is already provisioned.");
    }

    private PendingSealedSet Pending(string split) => _pending.TryGetValue(split, out PendingSealedSet? p)
        ? p
        : throw new EnclaveException($"Sealed data for '{split}' arrived without its header first.");

    private static LabeledImages Concatenate(List<LabeledImages> chunks)
    {
        LabeledImages first = chunks[0];
        int count = chunks.Sum(c => c.Count);
        var pixels = new byte[(long)count * first.PixelsPerImage];
        var labels = new byte[count];
        int at = 0;
        foreach (LabeledImages c in chunks)
        {
            c.Pixels.CopyTo(pixels, (long)at * first.PixelsPerImage);
            c.Labels.CopyTo(labels, at);
            at += c.Count;
        }
        return new LabeledImages(pixels, labels, count, first.Channels, first.Rows, first.Cols, first.ClassNames);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _key?.Dispose();
        foreach (LabeledImages s in _sets.Values) Array.Clear(s.Pixels);
        _sets.Clear();
    }

    private sealed record PendingSealedSet(SealedChunkOpener Opener)
    {
        public List<LabeledImages> Chunks { get; } = [];
    }
}
