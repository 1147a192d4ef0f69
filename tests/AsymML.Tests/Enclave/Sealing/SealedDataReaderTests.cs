using AsymML.Data;
using AsymML.Sealing;
using AsymML.Enclave.Sealing;

namespace AsymML.Tests.Sealing;

public sealed class SealedDataReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(10, 1, 4, 3, 4)]    // 1 channel, count not a multiple of the chunk size
    [InlineData(12, 3, 5, 4, 4)]    // 3 channels, exact multiple
    [InlineData(7, 3, 2, 2, 1)]     // chunk size 1
    [InlineData(5, 1, 28, 28, 256)] // one chunk, larger than the count
    [InlineData(300, 1, 28, 28, 256)]
    [InlineData(0, 1, 2, 2, 4)]     // empty set: no records
    public void ReadAll_RoundTripsExactly(int count, int channels, int rows, int cols, int chunkSize)
    {
        using SealKey key = SealingTestData.Key();
        LabeledImages data = SealingTestData.Images(count, channels, rows, cols, seed: count + channels);
        string path = _dir.File("d.sealed");
        SealedDataWriter.Write(data, path, key, chunkSize);

        LabeledImages back = SealedDataReader.ReadAll(path, key);

        Assert.Equal((count, channels, rows, cols), (back.Count, back.Channels, back.Rows, back.Cols));
        Assert.Equal(data.Pixels, back.Pixels);
        Assert.Equal(data.Labels, back.Labels);
        Assert.Null(back.ClassNames);
    }

    [Fact]
    public void ReadAll_KeepsClassNames()
    {
        using SealKey key = SealingTestData.Key();
        string[] names = ["T-shirt/top", "Trouser", "Pullover"];
        LabeledImages data = SealingTestData.Images(8, classes: 3, classNames: names);
        string path = _dir.File("d.sealed");
        SealedDataWriter.Write(data, path, key, chunkSize: 3);

        LabeledImages back = SealedDataReader.ReadAll(path, key);

        Assert.Equal(names, back.ClassNames);
        Assert.Equal(data.Labels, back.Labels);
    }

    [Fact]
    public void ReadAll_WrongKey_IsReportedAsWrongKey_NamingBothIds()
    {
        using SealKey owner = SealingTestData.Key(), other = SealingTestData.Key(first: 100);
        string path = _dir.File("d.sealed");
        SealedDataWriter.Write(SealingTestData.Images(5), path, owner, chunkSize: 2);

        SealedDataException e = SealingTestData.Refused(path, other);

        Assert.Equal(SealCheck.WrongKey, e.Check);
        Assert.Equal(path, e.FilePath);
        Assert.Equal($"{path}: wrong key: sealed with key {owner.KeyId}, but the enclave holds key {other.KeyId}: use the data owner's key for this file [WrongKey]", e.Message);
    }

    [Fact]
    public void ReadAll_MissingFile_IsFileNotFound()
    {
        using SealKey key = SealingTestData.Key();
        Assert.Throws<FileNotFoundException>(() => SealedDataReader.ReadAll(_dir.File("absent.sealed"), key));
    }
}
