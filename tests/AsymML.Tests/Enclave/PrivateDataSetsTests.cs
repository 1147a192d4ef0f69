using AsymML.Data;
using AsymML.Enclave;
using AsymML.Enclave.Data;
using AsymML.Sealing;
using AsymML.Enclave.Sealing;
using AsymML.Boundary.Session;

namespace AsymML.Tests.Enclave;

/// <summary>The enclave's own checks, as a malicious host would test them: it does not rely on the host's reader.</summary>
public sealed class PrivateDataSetsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _key, _file;
    private readonly LabeledImages _images;

    public PrivateDataSetsTests()
    {
        _key = _dir.File("k.key");
        _file = _dir.File("d.asymdata");
        var random = new Random(4);
        var pixels = new byte[30 * 2 * 4 * 4];
        random.NextBytes(pixels);
        _images = new LabeledImages(pixels, Enumerable.Range(0, 30).Select(i => (byte)(i % 4)).ToArray(), 30, 2, 4, 4);
        using SealKey key = SealKey.Generate();
        key.Save(_key);
        SealedDataWriter.Write(_images, _file, key, chunkSize: 7);
    }

    public void Dispose() => _dir.Dispose();

    private (byte[] Header, SealedChunk[] Chunks) Pieces()
    {
        SealedDataFile file = SealedDataFile.Open(_file);
        return (file.HeaderBytes.ToArray(), file.ReadChunks().ToArray());
    }

    [Fact]
    public void OpensAWholeSetExactly()
    {
        using var sets = new PrivateDataSets(new PrivateDataOptions(_key));
        (byte[] header, SealedChunk[] chunks) = Pieces();
        sets.BeginSealed("train", header);
        for (int i = 0; i < chunks.Length; i++) sets.AddSealedChunk("train", i, chunks[i].Record.Span);
        Assert.Equal(30, sets.EndSealed("train"));
        Assert.Equal(_images.Pixels, sets.Sets["train"].Pixels);
        Assert.Equal(_images.Labels, sets.Sets["train"].Labels);
    }

    [Fact]
    public void MissingSkippedOrRepeatedChunksAreRefusedAndTheSetIsNeverUsable()
    {
        (byte[] header, SealedChunk[] chunks) = Pieces();
        Assert.Equal(5, chunks.Length);
        using (var sets = new PrivateDataSets(new PrivateDataOptions(_key)))
        {
            sets.BeginSealed("train", header);
            for (int i = 0; i < 4; i++) sets.AddSealedChunk("train", i, chunks[i].Record.Span);
            Assert.Equal(SealCheck.Truncated, Assert.Throws<SealedDataException>(() => sets.EndSealed("train")).Check);
            Assert.False(sets.Sets.ContainsKey("train"));
            Assert.Throws<EnclaveException>(() => sets.Batch("train", [0], 0, training: false));
        }
        using (var sets = new PrivateDataSets(new PrivateDataOptions(_key)))
        {
            sets.BeginSealed("train", header);
            sets.AddSealedChunk("train", 0, chunks[0].Record.Span);
            Assert.Equal(SealCheck.OutOfOrder, Assert.Throws<SealedDataException>(() => sets.AddSealedChunk("train", 1, chunks[2].Record.Span)).Check);
            Assert.Throws<EnclaveException>(() => sets.EndSealed("train")); // the set was dropped at the first failure
        }
        using (var sets = new PrivateDataSets(new PrivateDataOptions(_key)))
        {
            sets.BeginSealed("train", header);
            sets.AddSealedChunk("train", 0, chunks[0].Record.Span);
            Assert.Equal(SealCheck.OutOfOrder, Assert.Throws<SealedDataException>(() => sets.AddSealedChunk("train", 1, chunks[0].Record.Span)).Check);
        }
        using (var noKey = new PrivateDataSets(new PrivateDataOptions()))
            Assert.Contains("no key", Assert.Throws<EnclaveException>(() => noKey.BeginSealed("train", header)).Message);
    }

    [Fact]
    public void BatchesAreNormalisedAndAugmentedDeterministicallyBySequence()
    {
        using var sets = new PrivateDataSets(new PrivateDataOptions(_key, new Augmentation(cropPadding: 1, horizontalFlip: true), AugmentationSeed: 9));
        sets.AddPlain("train", _images);
        (Tensor plain, Tensor labels) = sets.Batch("train", Enumerable.Range(0, 30).Select(i => (long)i).ToArray(), 0, training: false);
        using (plain)
        using (labels)
        {
            Assert.Equal([30L, 2, 4, 4], plain.shape);
            Tensor mean = plain.mean([0L, 2L, 3L]), std = plain.std([0L, 2L, 3L]);
            Assert.True(mean.abs().max().ToDouble() < 1e-5, $"mean {mean.abs().max().ToDouble()}");
            Assert.True((std - 1).abs().max().ToDouble() < 0.02, $"std {std}");
            Assert.Equal(_images.Labels.Select(l => (long)l), labels.data<long>().ToArray());
        }
        long[] some = [3, 1, 4, 1, 5, 9, 2, 6];
        (Tensor a, Tensor _) = sets.Batch("train", some, 17, training: true);
        (Tensor b, Tensor _) = sets.Batch("train", some, 17, training: true);
        (Tensor c, Tensor _) = sets.Batch("train", some, 18, training: true);
        Assert.True(AsymML.Tests.Data.TensorEquality.Same(a, b));
        Assert.False(AsymML.Tests.Data.TensorEquality.Same(a, c));
        Assert.Contains("sample 30", Assert.Throws<EnclaveException>(() => sets.Batch("train", [30], 0, training: false)).Message);
    }
}
