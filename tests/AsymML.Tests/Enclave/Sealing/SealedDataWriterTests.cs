using AsymML.Data;
using AsymML.Sealing;
using AsymML.Enclave.Sealing;

namespace AsymML.Tests.Sealing;

public sealed class SealedDataWriterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_FileSizeIsHeaderPlusRecords()
    {
        using SealKey key = SealingTestData.Key();
        string path = _dir.File("d.sealed");

        SealedHeader h = SealedDataWriter.Write(SealingTestData.Images(10), path, key, chunkSize: 4);

        // 8 magic + 4 length + 50 header + 32 MAC + 3 records x (24 prefix + 16 tag) + 10 samples x (1 label + 12 pixels)
        Assert.Equal(344, new FileInfo(path).Length);
        Assert.Equal(3, h.ChunkCount);
        Assert.Equal(key.KeyId, h.KeyId);
        Assert.Equal(10, h.ClassCount); // labels (i*7+1) mod 10 reach 9
    }

    [Fact]
    public void Write_UsesFreshNoncesAndDatasetIds_AndHidesThePixels()
    {
        using SealKey key = SealingTestData.Key();
        // Every image is the same recognisable 48-byte pattern; it must not appear in the file.
        byte[] pattern = Enumerable.Range(0, 48).Select(i => (byte)(i * 5 + 1)).ToArray();
        var data = new LabeledImages(Enumerable.Repeat(pattern, 20).SelectMany(p => p).ToArray(), new byte[20], 20, 3, 4, 4);
        string a = _dir.File("a.sealed"), b = _dir.File("b.sealed");

        SealedHeader ha = SealedDataWriter.Write(data, a, key, chunkSize: 2);
        SealedHeader hb = SealedDataWriter.Write(data, b, key, chunkSize: 2);

        byte[] fa = File.ReadAllBytes(a), fb = File.ReadAllBytes(b);
        var layout = SealingTestData.LayoutOf(fa);
        var nonces = layout.RecordOffsets.Select(o => Convert.ToHexString(fa, (int)o + 8, 12))
            .Concat(layout.RecordOffsets.Select(o => Convert.ToHexString(fb, (int)o + 8, 12))).ToList();
        Assert.Equal(20, nonces.Distinct().Count());
        Assert.NotEqual(ha.DatasetId, hb.DatasetId);
        Assert.Equal(-1, fa.AsSpan().IndexOf(pattern.AsSpan(0, 16)));
        Assert.Equal(data.Pixels, SealedDataReader.ReadAll(a, key).Pixels);
    }

    [Fact]
    public void Write_ToStream_GivesTheSameFormat()
    {
        using SealKey key = SealingTestData.Key();
        LabeledImages data = SealingTestData.Images(9, channels: 3);
        using var stream = new MemoryStream();

        SealedDataWriter.Write(data, stream, key, chunkSize: 4);
        string path = _dir.File("s.sealed");
        File.WriteAllBytes(path, stream.ToArray());

        LabeledImages back = SealedDataReader.ReadAll(path, key);
        Assert.Equal(data.Pixels, back.Pixels);
        Assert.Equal(data.Labels, back.Labels);
    }

    [Fact]
    public void Write_FailingMidway_LeavesNoFileAndKeepsTheOldOne()
    {
        using SealKey key = SealingTestData.Key();
        // Labels are 1, 8, 5, 2, 9, …: with 9 classes, sample 4 is out of range, found after 4 chunks were written.
        LabeledImages data = SealingTestData.Images(12);
        Assert.Equal(new byte[] { 1, 8, 5, 2, 9 }, data.Labels[..5]);
        string fresh = _dir.File("fresh.sealed"), existing = _dir.File("existing.sealed");
        File.WriteAllText(existing, "old content");

        var e1 = Assert.Throws<ArgumentException>(() => SealedDataWriter.Write(data, fresh, key, chunkSize: 1, classCount: 9));
        var e2 = Assert.Throws<ArgumentException>(() => SealedDataWriter.Write(data, existing, key, chunkSize: 1, classCount: 9));

        Assert.Contains("Image 4 has label 9, but the class count is 9", e1.Message);
        Assert.Contains("Image 4", e2.Message);
        Assert.False(File.Exists(fresh));
        Assert.Equal("old content", File.ReadAllText(existing));
        Assert.Single(Directory.GetFiles(_dir.Path)); // no temporary file left
    }

    [Fact]
    public void Write_ClassCountDefaultsToNamesThenLargestLabel()
    {
        using SealKey key = SealingTestData.Key();
        using var stream = new MemoryStream();

        SealedHeader fromLabels = SealedDataWriter.Write(SealingTestData.Images(3, classes: 10), stream, key); // labels 1, 8, 5
        SealedHeader fromNames = SealedDataWriter.Write(SealingTestData.Images(3, classes: 10, classNames: Enumerable.Range(0, 12).Select(i => $"c{i}").ToArray()), stream, key);
        SealedHeader given = SealedDataWriter.Write(SealingTestData.Images(3), stream, key, classCount: 200);

        Assert.Equal(9, fromLabels.ClassCount);
        Assert.Equal(12, fromNames.ClassCount);
        Assert.Equal(200, given.ClassCount);
        Assert.Throws<ArgumentException>(() => SealedDataWriter.Write(SealingTestData.Images(3, classNames: Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray()), stream, key, classCount: 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => SealedDataWriter.Write(SealingTestData.Images(3), stream, key, chunkSize: 0));
    }
}
