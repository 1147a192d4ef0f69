using AsymML.Data;

namespace AsymML.Tests.Data;

public sealed class Cifar10Tests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string BatchDir()
    {
        string dir = _dir.File("cifar-10-batches-bin");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void TestSplit_RoundTripsThreeRecords_PlanarLayoutAndClassNamesFromMeta()
    {
        string dir = BatchDir();
        byte[] r0 = CifarTestFiles.Record(3, seed: 1);
        byte[] r1 = CifarTestFiles.Record(9, seed: 2);
        // Record 2: solid planes R = 10, G = 20, B = 30, except pixel (row 1, col 2) = (200, 100, 50).
        byte[] r2 = [0, .. Enumerable.Repeat((byte)10, 1024), .. Enumerable.Repeat((byte)20, 1024), .. Enumerable.Repeat((byte)30, 1024)];
        r2[1 + 0 * 1024 + 32 + 2] = 200;
        r2[1 + 1 * 1024 + 32 + 2] = 100;
        r2[1 + 2 * 1024 + 32 + 2] = 50;
        File.WriteAllBytes(Path.Combine(dir, "test_batch.bin"), [.. r0, .. r1, .. r2]);
        string[] names = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"];
        File.WriteAllText(Path.Combine(dir, "batches.meta.txt"), string.Join("\n", names) + "\n\n");

        LabeledImages d = Cifar10.Load(dir, "TEST");

        Assert.Equal(3, d.Count);
        Assert.Equal(3, d.Channels);
        Assert.Equal(32, d.Rows);
        Assert.Equal(32, d.Cols);
        Assert.Equal(new byte[] { 3, 9, 0 }, d.Labels);
        Assert.Equal(r0[1..], d.GetImage(0).ToArray());
        Assert.Equal(r1[1..], d.GetImage(1).ToArray());
        Assert.Equal(r2[1..], d.GetImage(2).ToArray());
        Assert.Equal(names, d.ClassNames);

        using Tensor t = d.ToTensor(2, 1);
        Assert.Equal(new long[] { 1, 3, 32, 32 }, t.shape);
        Assert.Equal(200 / 255f, t[0, 0, 1, 2].ToSingle());
        Assert.Equal(100 / 255f, t[0, 1, 1, 2].ToSingle());
        Assert.Equal(50 / 255f, t[0, 2, 1, 2].ToSingle());
        Assert.Equal(10 / 255f, t[0, 0, 31, 31].ToSingle());
        Assert.Equal(20 / 255f, t[0, 1, 0, 0].ToSingle());
        Assert.Equal(30 / 255f, t[0, 2, 5, 7].ToSingle());
    }

    [Fact]
    public void WithoutMetaFile_TheStandardClassNamesAreUsed_AndTheParentFolderIsAccepted()
    {
        CifarTestFiles.WriteBatch(Path.Combine(BatchDir(), "test_batch.bin"), [1, 2], seed0: 5);

        LabeledImages d = Cifar10.Load(_dir.Path, "test");

        Assert.Equal(2, d.Count);
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], d.ClassNames);
    }

    [Theory]
    [InlineData(null, 10)]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    [InlineData(1000, 10)]
    public void TrainSplit_ReadsTheFiveBatchesInOrder_UpToMaxSamples(int? maxSamples, int expected)
    {
        string dir = BatchDir();
        var all = new List<byte>();
        for (int f = 1; f <= 5; f++)
            all.AddRange(CifarTestFiles.WriteBatch(Path.Combine(dir, $"data_batch_{f}.bin"), [(byte)f, (byte)(f + 4)], seed0: 10 * f));
        byte[] bytes = all.ToArray();

        LabeledImages d = Cifar10.Load(dir, "train", maxSamples);

        Assert.Equal(expected, d.Count);
        for (int i = 0; i < expected; i++)
        {
            Assert.Equal(bytes[i * 3073], d.Labels[i]);
            Assert.Equal(bytes.AsSpan(i * 3073 + 1, 3072).ToArray(), d.GetImage(i).ToArray());
        }
    }

    [Fact]
    public void MaxSamples_ReadsOnlyTheRecordsItNeeds()
    {
        string dir = BatchDir();
        for (int f = 1; f <= 5; f++)
            CifarTestFiles.WriteBatch(Path.Combine(dir, $"data_batch_{f}.bin"), [1, 2], seed0: f);
        // Record 1 of batch 3 has a bad label; the first 5 records (batches 1, 2 and record 0 of batch 3) never touch it.
        CifarTestFiles.WriteBatch(Path.Combine(dir, "data_batch_3.bin"), [7, 42], seed0: 3);

        Assert.Equal(5, Cifar10.Load(dir, "train", maxSamples: 5).Count);
        var ex = Assert.Throws<DataFormatException>(() => Cifar10.Load(dir, "train", maxSamples: 6));
        Assert.Contains("label 42 of record 1", ex.Message);
    }

    [Fact]
    public void SizeNotAMultipleOfTheRecord_NamesFileSizeAndRecordSize()
    {
        string path = Path.Combine(BatchDir(), "test_batch.bin");
        File.WriteAllBytes(path, [.. CifarTestFiles.Record(1, 1), .. new byte[100]]);

        var ex = Assert.Throws<DataFormatException>(() => Cifar10.Load(_dir.Path, "test"));

        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path, ex.Message);
        Assert.Contains("size 3173 bytes is not a multiple of the 3073-byte", ex.Message);
    }

    [Fact]
    public void EmptyFile_IsReportedAsEmpty()
    {
        string path = Path.Combine(BatchDir(), "test_batch.bin");
        File.WriteAllBytes(path, []);

        var ex = Assert.Throws<DataFormatException>(() => Cifar10.Load(_dir.Path, "test", maxSamples: 0));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void LabelAbove9_NamesFileRecordAndRange()
    {
        string path = Path.Combine(BatchDir(), "test_batch.bin");
        CifarTestFiles.WriteBatch(path, [0, 9, 10], seed0: 1);

        var ex = Assert.Throws<DataFormatException>(() => Cifar10.Load(_dir.Path, "test"));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains("label 10 of record 2 (byte offset 6146)", ex.Message);
        Assert.Contains("0..9", ex.Message);
    }

    [Fact]
    public void MissingBatchFile_NamesItAndTheOthersMissing()
    {
        string dir = BatchDir();
        CifarTestFiles.WriteBatch(Path.Combine(dir, "data_batch_1.bin"), [1], seed0: 1);
        CifarTestFiles.WriteBatch(Path.Combine(dir, "data_batch_2.bin"), [1], seed0: 1);
        CifarTestFiles.WriteBatch(Path.Combine(dir, "data_batch_4.bin"), [1], seed0: 1);

        var ex = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(dir, "train"));

        Assert.Equal(Path.Combine(dir, "data_batch_3.bin"), ex.FileName);
        Assert.Contains("data_batch_3.bin' is missing (also missing: data_batch_5.bin)", ex.Message);
    }

    [Fact]
    public void MetaFileWithWrongNameCount_IsAnError()
    {
        string dir = BatchDir();
        CifarTestFiles.WriteBatch(Path.Combine(dir, "test_batch.bin"), [1], seed0: 1);
        string meta = Path.Combine(dir, "batches.meta.txt");
        File.WriteAllText(meta, "cat\ndog\n");

        var ex = Assert.Throws<DataFormatException>(() => Cifar10.Load(dir, "test"));

        Assert.Equal(meta, ex.FilePath);
        Assert.Contains("lists 2 non-empty lines", ex.Message);
    }

    [Fact]
    public void UnknownSplitAndMissingDirectory_AreClearErrors()
    {
        Assert.Contains("validation", Assert.Throws<ArgumentException>(() => Cifar10.Load(_dir.Path, "validation")).Message);
        string missing = _dir.File("nope");
        Assert.Contains(missing, Assert.Throws<DirectoryNotFoundException>(() => Cifar10.Load(missing, "test")).Message);
    }
}
