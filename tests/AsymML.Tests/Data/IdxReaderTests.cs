using System.Buffers.Binary;
using System.IO.Compression;
using AsymML.Data;

namespace AsymML.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false, "images-idx3-ubyte")]
    [InlineData(true, "images-idx3-ubyte.gz")]
    [InlineData(true, "gzipped-without-extension")]
    [InlineData(false, "raw-with-misleading-extension.gz")]
    public void ReadImages_RoundTripsRawAndGzip(bool gzip, string name)
    {
        byte[] pixels = IdxTestFiles.Bytes(5 * 3 * 4, seed: 1);
        string path = _dir.File(name);
        IdxTestFiles.Write(path, IdxTestFiles.Idx(pixels, 5, 3, 4), gzip);

        IdxArray a = IdxReader.ReadImages(path);

        Assert.Equal(path, a.FilePath);
        Assert.Equal(new[] { 5, 3, 4 }, a.Dimensions);
        Assert.Equal(5, a.Count);
        Assert.Equal(5, a.DeclaredCount);
        Assert.Equal(pixels, a.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLabels_RoundTrips(bool gzip)
    {
        byte[] labels = [0, 9, 3, 3, 7, 1, 255];
        string path = _dir.File(gzip ? "labels.gz" : "labels");
        IdxTestFiles.Write(path, IdxTestFiles.Idx(labels, labels.Length), gzip);

        IdxArray a = IdxReader.ReadLabels(path);

        Assert.Equal(new[] { labels.Length }, a.Dimensions);
        Assert.Equal(labels, a.Data);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 2)]
    [InlineData(5, 5)]
    [InlineData(100, 5)]
    public void Read_MaxItemsLimitsTheItemsRead(int maxItems, int expected)
    {
        byte[] pixels = IdxTestFiles.Bytes(5 * 3 * 4, seed: 2);
        string path = _dir.File("images.gz");
        IdxTestFiles.Write(path, IdxTestFiles.Idx(pixels, 5, 3, 4), gzip: true);

        IdxArray a = IdxReader.ReadImages(path, maxItems);

        Assert.Equal(new[] { expected, 3, 4 }, a.Dimensions);
        Assert.Equal(5, a.DeclaredCount);
        Assert.Equal(pixels.AsSpan(0, expected * 12).ToArray(), a.Data);
    }

    [Fact]
    public void Read_WithMaxItems_DecompressesOnlyThePrefix()
    {
        // Incompressible data, gzip stream cut in half: the first items must still be readable,
        // which shows the reader does not decompress (or even read) the whole file.
        byte[] pixels = IdxTestFiles.Bytes(2000 * 28 * 28, seed: 3);
        byte[] gz = IdxTestFiles.Gzip(IdxTestFiles.Idx(pixels, 2000, 28, 28));
        string path = _dir.File("cut.gz");
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);

        IdxArray a = IdxReader.ReadImages(path, maxCount: 10);

        Assert.Equal(new[] { 10, 28, 28 }, a.Dimensions);
        Assert.Equal(2000, a.DeclaredCount);
        Assert.Equal(pixels.AsSpan(0, 10 * 784).ToArray(), a.Data);
    }

    [Fact]
    public void ReadDimensions_ReadsOnlyTheHeader()
    {
        string path = _dir.File("header-only");
        File.WriteAllBytes(path, IdxTestFiles.Header(0x08, 60000, 28, 28));

        Assert.Equal(new[] { 60000, 28, 28 }, IdxReader.ReadDimensions(path, 3));
    }

    [Fact]
    public void Read_AnyRank_WhenNoRankIsRequired()
    {
        byte[] data = IdxTestFiles.Bytes(2 * 3 * 2 * 2, seed: 4);
        string path = _dir.File("rank4");
        IdxTestFiles.Write(path, IdxTestFiles.Idx(data, 2, 3, 2, 2), gzip: false);

        IdxArray a = IdxReader.Read(path, maxItems: 1);

        Assert.Equal(new[] { 1, 3, 2, 2 }, a.Dimensions);
        Assert.Equal(data.AsSpan(0, 12).ToArray(), a.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WrongMagic_NamesFileExpectedAndFound(bool gzip)
    {
        string path = _dir.File("not-idx.bin");
        IdxTestFiles.Write(path, [0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 0], gzip);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message);
        Assert.Contains("wrong magic number", ex.Message);
        Assert.Contains("expected 0x00000803", ex.Message);
        Assert.Contains("found 0x12345678", ex.Message);
    }

    [Fact]
    public void UnsupportedDataType_IsRejected()
    {
        string path = _dir.File("floats-idx1");
        File.WriteAllBytes(path, [.. IdxTestFiles.Header(0x0D, 1), 0, 0, 0x80, 0x3F]);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("unsupported IDX data type 0x0D (32-bit float)", ex.Message);
        Assert.Contains("only 0x08 (unsigned byte) is supported", ex.Message);
    }

    [Fact]
    public void WrongNumberOfDimensions_LabelsFileReadAsImages()
    {
        string path = _dir.File("labels-idx1-ubyte");
        IdxTestFiles.Write(path, IdxTestFiles.Idx([1, 2, 3], 3), gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("wrong number of dimensions", ex.Message);
        Assert.Contains("0x00000801 declares 1 dimension", ex.Message);
        Assert.Contains("3 dimensions (count, rows, columns; an images file) were expected", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void TruncatedMagic_SaysHowManyBytesArePresent(int length)
    {
        string path = _dir.File("tiny");
        File.WriteAllBytes(path, new byte[] { 0, 0, 8 }[..length]);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("4-byte magic number", ex.Message);
        Assert.Contains($"holds only {length} bytes", ex.Message);
    }

    [Fact]
    public void TruncatedDimensions_SaysExpectedAndPresentHeaderBytes()
    {
        string path = _dir.File("short-header");
        File.WriteAllBytes(path, IdxTestFiles.Header(0x08, 10, 28, 28)[..10]);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated inside its header", ex.Message);
        Assert.Contains("need 16 header bytes", ex.Message);
        Assert.Contains("holds only 10 bytes", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedData_SaysExpectedAndPresentBytes(bool gzip)
    {
        string path = _dir.File(gzip ? "short.gz" : "short");
        byte[] full = IdxTestFiles.Idx(IdxTestFiles.Bytes(5 * 3 * 4, seed: 5), 5, 3, 4);
        IdxTestFiles.Write(path, full[..(16 + 30)], gzip); // 30 of 60 data bytes: 2 complete images

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("should hold 60 bytes (5 images of 3x4 = 12 bytes each)", ex.Message);
        Assert.Contains("only 30 bytes are present (2 complete images)", ex.Message);

        // Asking only for what is present succeeds.
        Assert.Equal(2, IdxReader.ReadImages(path, 2).Count);
    }

    [Fact]
    public void OversizedHeader_IsRejectedBeforeAllocating()
    {
        string path = _dir.File("huge");
        File.WriteAllBytes(path, IdxTestFiles.Header(0x08, int.MaxValue, int.MaxValue, int.MaxValue));

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("more than fits in one array", ex.Message);
        Assert.Equal(0, IdxReader.ReadImages(path, 0).Count);
    }

    [Fact]
    public void TruncatedLabels_SaysExpectedAndPresentCount()
    {
        string path = _dir.File("labels-short");
        File.WriteAllBytes(path, [.. IdxTestFiles.Header(0x08, 10), 1, 2, 3]);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("should hold 10 bytes (10 labels)", ex.Message);
        Assert.Contains("only 3 bytes are present (3 complete labels)", ex.Message);
    }

    [Fact]
    public void CorruptGzip_IsReportedWithThePath()
    {
        string path = _dir.File("corrupt.gz");
        byte[] gz = IdxTestFiles.Gzip(IdxTestFiles.Idx(IdxTestFiles.Bytes(100, 6), 100));
        gz[3] = 0xFF; // reserved flag bits set: invalid gzip header
        File.WriteAllBytes(path, gz);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("gzip-compressed data is corrupt", ex.Message);
    }

    [Fact]
    public void NegativeDimension_IsRejected()
    {
        string path = _dir.File("negative");
        File.WriteAllBytes(path, IdxTestFiles.Header(0x08, 2, -28, 28));

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("dimension 1 has negative size -28", ex.Message);
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFoundNamingIt()
    {
        string path = _dir.File("nope-idx3-ubyte.gz");

        var ex = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, ex.FileName);
        Assert.Contains(path, ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void NegativeMaxItems_IsAnArgumentError()
    {
        string path = _dir.File("labels");
        IdxTestFiles.Write(path, IdxTestFiles.Idx([1], 1), gzip: false);

        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(path, -1));
    }
}
