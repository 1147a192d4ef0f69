using AsymML.Optimization;
using System.Buffers.Binary;
using AsymML.Accelerator;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Enclave;
using AsymML.Enclave.Data;
using AsymML.Execution;
using AsymML.Training;
using AsymML.Network;
using AsymML.Sealing;
using AsymML.Training.InProcess;
using AsymML.Enclave.Sealing;
using AsymML.Boundary.Session;

namespace AsymML.Tests.Execution;

/// <summary>Sealed data through the whole engine: the host hands over ciphertext only, the enclave refuses every
/// kind of tampering before a step runs, training resumes exactly, and checkpoints and predictions are checked.</summary>
public sealed class SealedTrainingTests : IDisposable
{
    private const int Side = 8, Classes = 3;
    private readonly TempDir _dir = new();
    private readonly string _keyFile, _otherKeyFile, _train, _test;
    private readonly LabeledImages _trainImages;

    public SealedTrainingTests()
    {
        _keyFile = _dir.File("owner.key");
        _otherKeyFile = _dir.File("other.key");
        using (SealKey key = SealKey.Generate()) key.Save(_keyFile);
        using (SealKey other = SealKey.Generate()) other.Save(_otherKeyFile);
        _trainImages = Images(48, seed: 1);
        _train = _dir.File("train.asymdata");
        _test = _dir.File("test.asymdata");
        using SealKey owner = SealKey.Load(_keyFile);
        SealedDataWriter.Write(_trainImages, _train, owner, chunkSize: 8);
        SealedDataWriter.Write(Images(20, seed: 2), _test, owner, chunkSize: 8);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Three learnable classes: a bright top, middle or bottom band, plus noise.</summary>
    private static LabeledImages Images(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * Side * Side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % Classes);
            for (int y = 0; y < Side; y++)
                for (int x = 0; x < Side; x++)
                    pixels[i * Side * Side + y * Side + x] = (byte)((y * Classes / Side == labels[i] ? 180 : 20) + random.Next(60));
        }
        return new LabeledImages(pixels, labels, count, 1, Side, Side, ["top", "middle", "bottom"]);
    }

    private static NetworkSpec Spec() => ModelZoo.Create(ModelZoo.SmallCnnName, 1, Classes, imageSize: Side);

    private SplitExecutor Executor(string keyFile, BoundaryTranscript? transcript = null, StateDict? state = null)
    {
        NetworkSpec spec = Spec();
        using StateDict initial = StateDict.Initialize(spec, seed: 5);
        EnclaveSettings settings = EnclaveSettings.Split(spec, Side, Side, new FixedRankPolicy(1)) with { Data = new PrivateDataOptions(keyFile, null, 7) };
        return new SplitExecutor(settings, state ?? initial, new OptimizerSettings(LearningRate: 0.05), transcript: transcript);
    }

    [Fact]
    public void HostSendsOnlyTheFileBytesAndTheEnclaveOpensThem()
    {
        using var transcript = new BoundaryTranscript(keepTensors: true);
        using SplitExecutor executor = Executor(_keyFile, transcript);
        Assert.Equal(48, executor.Provision("train", new SealedDataSource(_train)));

        byte[] file = File.ReadAllBytes(_train);
        var sent = transcript.Entries.Where(e => e.Kind == MessageKind.ProvisionSealed).SelectMany(e => e.Tensors).Select(t => t.bytes.ToArray()).ToList();
        Assert.Equal(1 + 6 + 1, sent.Count); // header, 48 / 8 chunks, end
        foreach (byte[] piece in sent.Where(p => p.Length > 0))
            Assert.True(file.AsSpan().IndexOf(piece) >= 0, "every byte the host sent is a slice of the sealed file");
        byte[] firstImage = _trainImages.GetImage(0).ToArray();
        Assert.DoesNotContain(sent, p => p.AsSpan().IndexOf(firstImage) >= 0);
        Assert.DoesNotContain(transcript.Entries, e => e.Kind == MessageKind.ProvisionData);

        StepReport step = executor.TrainStep("train", [0, 1, 2, 3, 4, 5], 0);
        Assert.Equal(6, step.BatchSize);
        Assert.True(double.IsFinite(step.Loss));
    }

    public static TheoryData<string, string> Attacks() => new()
    {
        { "tamper", "authentication" },
        { "truncate", "truncated" },
        { "reorder", "out of order" },
        { "wrong key", "wrong key" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void EveryAttackIsRefusedWithItsOwnErrorBeforeAnyStep(string attack, string expected)
    {
        string path = _dir.File($"attacked-{attack.Replace(' ', '-')}.asymdata");
        byte[] bytes = File.ReadAllBytes(_train);
        (long[] offsets, int headerEnd) = Records(bytes);
        string key = _keyFile;
        switch (attack)
        {
            case "tamper":
                bytes[offsets[3] + 40] ^= 0x01; // a ciphertext byte of chunk 3
                break;
            case "truncate":
                bytes = bytes[..(int)offsets[^1]]; // the last chunk is gone, cleanly at a record boundary
                break;
            case "reorder":
                bytes = Swap(bytes, offsets, 1, 2);
                break;
            default:
                key = _otherKeyFile;
                break;
        }
        File.WriteAllBytes(path, bytes);
        Assert.True(headerEnd > 0);

        using var transcript = new BoundaryTranscript();
        using SplitExecutor executor = Executor(key, transcript);
        // The enclave checks everything itself; the host's reader may notice a broken framing first (truncation).
        Exception e = Assert.ThrowsAny<Exception>(() => executor.Provision("train", new SealedDataSource(path)));
        Assert.True(e is ExecutionException or SealedDataException, e.ToString());
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(transcript.Entries, x => x.Kind is MessageKind.RunStep or MessageKind.ConvForward or MessageKind.WeightGradients);
    }

    [Fact]
    public void ResumeEqualsAnUninterruptedRunAndACorruptCheckpointIsRefused()
    {
        NetworkSpec spec = Spec();
        PrivateTrainingOptions Options(string dir, int epochs, bool resume) => new(ExecutionMode.Asym, new FixedRankPolicy(1), 0,
            new OptimizerSettings(LearningRate: 0.05, Nesterov: true),
            new TrainingPlan(epochs, 8, 11, CheckpointPath: Path.Combine(dir, Checkpoint.FileName), CosineFromLearningRate: 0.05),
            _keyFile, new Augmentation(cropPadding: 1, horizontalFlip: true), Resume: resume);
        string whole = Directory.CreateDirectory(_dir.File("whole")).FullName, parts = Directory.CreateDirectory(_dir.File("parts")).FullName;

        TrainingOutcome uninterrupted = PrivateTraining.Run(spec, new SealedDataSource(_train), new SealedDataSource(_test), Options(whole, 3, false));
        // The same run, cut off after its first epoch's checkpoint (as a crash would), then resumed.
        Assert.Throws<OperationCanceledException>(() => PrivateTraining.Run(spec, new SealedDataSource(_train), new SealedDataSource(_test),
            Options(parts, 3, false), epochDone: _ => throw new OperationCanceledException("power cut")));
        TrainingOutcome resumed = PrivateTraining.Run(spec, new SealedDataSource(_train), new SealedDataSource(_test), Options(parts, 3, true));
        string empty = Directory.CreateDirectory(_dir.File("empty")).FullName;
        Assert.Contains("Nothing to resume: no checkpoint at", Assert.Throws<InvalidDataException>(() =>
            PrivateTraining.Run(spec, new SealedDataSource(_train), null, Options(empty, 1, true))).Message);

        Assert.Equal(1, resumed.ResumedAfterEpoch);
        Assert.Equal(uninterrupted.History.Select(h => (h.TrainLoss, h.TestAccuracy)), resumed.History.Select(h => (h.TrainLoss, h.TestAccuracy)));
        using (Checkpoint a = Checkpoint.Load(whole), b = Checkpoint.Load(parts))
        {
            Assert.Equal(3, b.Epoch);
            foreach (string name in a.State.Names)
                Assert.True(AsymML.Tests.Data.TensorEquality.Same(a.State[name], b.State[name]), $"{name} differs after resume");
        }

        // Other settings (here: another total under the cosine schedule) may not resume this checkpoint.
        Assert.Contains("other settings", Assert.Throws<InvalidDataException>(() =>
            PrivateTraining.Run(spec, new SealedDataSource(_train), null, Options(parts, 4, true))).Message);

        string file = Path.Combine(parts, Checkpoint.FileName);
        byte[] bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(file, bytes);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(file)).Message);
        Assert.Throws<InvalidDataException>(() => PrivateTraining.Run(spec, new SealedDataSource(_train), null, Options(parts, 3, true)));
        File.WriteAllBytes(file, bytes[..100]);
        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(file));
    }

    [Fact]
    public void ARewrittenCheckpointIsRefusedOnResumeEvenWithItsChecksumRecomputed()
    {
        NetworkSpec spec = Spec();
        string dir = Directory.CreateDirectory(_dir.File("rewritten")).FullName, path = Path.Combine(dir, Checkpoint.FileName);
        PrivateTrainingOptions Options(int epochs, bool resume) => new(ExecutionMode.Asym, new FixedRankPolicy(1), 0,
            new OptimizerSettings(OptimizerKind.Adam, LearningRate: 0.01), new TrainingPlan(epochs, 8, 11, CheckpointPath: path), _keyFile, Resume: resume);
        PrivateTraining.Run(spec, new SealedDataSource(_train), null, Options(1, false));
        using (Checkpoint honest = Checkpoint.Load(path))
        {
            Assert.True(honest.Authenticated);
            // The label oracle's classifier, written back as a well-formed checkpoint: Save recomputes the SHA-256.
            using TrainingState state = honest.ToTrainingState();
            using (no_grad())
            {
                state.State["classifier.weight"].zero_();
                state.State["classifier.bias"].copy_(arange(Classes, dtype: ScalarType.Float32));
            }
            using var rewritten = new Checkpoint(honest.Spec, new TrainingState(state.State.Clone(), honest.OptimizerState, honest.Tag), honest.Epoch, honest.Fingerprint, honest.History);
            rewritten.Save(path);
        }
        using (Checkpoint reread = Checkpoint.Load(path)) // the unkeyed checksum passes
            Assert.True(reread.State["classifier.weight"].eq(0).all().item<bool>());

        var e = Assert.Throws<ExecutionException>(() => PrivateTraining.Run(spec, new SealedDataSource(_train), null, Options(2, true)));
        Assert.Contains("refused LoadState: tag: expected a state this enclave exported under the data owner's key (its HMAC-SHA256 tag does not verify", e.Message);
        // The optimizer state (Adam's moments) is covered too: the weights as exported, the optimizer state changed.
        PrivateTraining.Run(spec, new SealedDataSource(_train), null, Options(1, false));
        using (Checkpoint honest = Checkpoint.Load(path))
        {
            byte[] optimizer = (byte[])honest.OptimizerState.Clone();
            optimizer[^5] ^= 0x01;
            using var rewritten = new Checkpoint(honest.Spec, new TrainingState(honest.State.Clone(), optimizer, honest.Tag), honest.Epoch, honest.Fingerprint, honest.History);
            rewritten.Save(path);
        }
        Assert.Contains("tag does not verify", Assert.Throws<ExecutionException>(() =>
            PrivateTraining.Run(spec, new SealedDataSource(_train), null, Options(2, true))).Message);
    }

    [Fact]
    public void PredictionsAreSealedToTheOwnerAndAgreeWithTheConfusionMatrix()
    {
        using SplitExecutor executor = Executor(_keyFile);
        executor.Provision("test", new SealedDataSource(_test));
        executor.Infer("test", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        executor.Infer("test", [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
        EvaluationResult result = executor.Evaluate("test");

        Assert.True(result.PredictionsSealed);
        Assert.Equal(20, result.Count);
        using SealKey key = SealKey.Load(_keyFile);
        string[] lines = System.Text.Encoding.UTF8.GetString(SealedBlob.Open(result.Predictions, key, "predictions of test")).TrimEnd().Split('\n');
        Assert.Equal("index,prediction,label", lines[0]);
        Assert.Equal(20, lines.Length - 1);
        long right = lines.Skip(1).Select(l => l.Split(',')).Count(f => f[1] == f[2]);
        Assert.Equal(right, (long)Math.Round(result.Accuracy * 20));
        using SealKey other = SealKey.Load(_otherKeyFile);
        Assert.ThrowsAny<IOException>(() => SealedBlob.Open(result.Predictions, other, "predictions of test"));
        Assert.Throws<ExecutionException>(() => executor.Evaluate("test")); // consumed
    }

    /// <summary>Offsets of every chunk record, from the layout in docs/sealed-data.md.</summary>
    private static (long[] Offsets, int HeaderEnd) Records(byte[] file)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        int at = 8 + 4 + headerLength + SealedFormat.MacBytes;
        int headerEnd = at;
        var offsets = new List<long>();
        while (at < file.Length)
        {
            offsets.Add(at);
            int cipher = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8 + SealedFormat.NonceBytes));
            at += SealedFormat.RecordPrefixBytes + cipher + SealedFormat.TagBytes;
        }
        return (offsets.ToArray(), headerEnd);
    }

    private static byte[] Swap(byte[] file, long[] offsets, int a, int b)
    {
        long End(int i) => i + 1 < offsets.Length ? offsets[i + 1] : file.Length;
        byte[] ra = file[(int)offsets[a]..(int)End(a)], rb = file[(int)offsets[b]..(int)End(b)];
        return [.. file[..(int)offsets[a]], .. rb, .. ra, .. file[(int)End(b)..]];
    }
}
