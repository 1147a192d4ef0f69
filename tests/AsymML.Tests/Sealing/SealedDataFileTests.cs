using AsymML.Sealing;
using AsymML.Enclave.Sealing;

namespace AsymML.Tests.Sealing;

/// <summary>The host side: framing checks without the key.</summary>
public sealed class SealedDataFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>10 samples of 1x4x3 in chunks of 4: records of 92, 92 and 66 bytes after a 94-byte preamble (344 bytes).</summary>
    private (string Path, byte[] Bytes) Sealed()
    {
        using SealKey key = SealingTestData.Key();
        string path = _dir.File("d.sealed");
        SealedDataWriter.Write(SealingTestData.Images(10, classNames: Enumerable.Range(0, 10).Select(i => $"class {i}").ToArray()), path, key, chunkSize: 4);
        return (path, File.ReadAllBytes(path));
    }

    [Fact]
    public void Open_WithoutKey_ExposesHeaderAndRawRecords()
    {
        var (path, bytes) = Sealed();

        SealedDataFile file = SealedDataFile.Open(path);
        SealedChunk[] chunks = file.ReadChunks().ToArray();

        Assert.Equal((10, 1, 4, 3, 4, 10), (file.Header.Count, file.Header.Channels, file.Header.Rows, file.Header.Cols, file.Header.ChunkSize, file.Header.ClassCount));
        Assert.Equal("class 9", file.Header.ClassNames![9]);
        int headerLength = SealingTestData.LayoutOf(bytes).HeaderLength;
        Assert.Equal(50 + 10 * (2 + 7), headerLength);
        Assert.Equal(bytes.AsSpan(12, headerLength + 32).ToArray(), file.HeaderBytes.ToArray());
        Assert.Equal(3, file.ChunkCount);
        Assert.Equal(new long[] { 0, 1, 2 }, chunks.Select(c => c.Index));
        Assert.Equal(new long[] { 0, 1, 2 }, chunks.Select(c => c.Position));
        Assert.Equal(new[] { 92, 92, 66 }, chunks.Select(c => c.Record.Length));
        long first = 12 + headerLength + 32;
        Assert.Equal(new[] { first, first + 92, first + 184 }, chunks.Select(c => c.Offset));
        Assert.Equal(bytes.Length, chunks[2].Offset + 66);
        Assert.Equal(chunks[1].Record.ToArray(), file.ReadChunk(1).Record.ToArray());
    }

    [Fact]
    public void Open_TruncatedAnywhere_IsTruncated()
    {
        var (path, bytes) = Sealed();
        var layout = SealingTestData.LayoutOf(bytes);
        long[] cuts =
        [
            0, 5, 8, 11, 12, 40, layout.MacOffset, layout.MacOffset + 31, layout.RecordsOffset, layout.RecordsOffset + 5,
            layout.Ciphertext(0), layout.Tag(0), layout.RecordOffsets[1], layout.RecordOffsets[2], layout.Tag(2), bytes.Length - 1,
        ];
        foreach (long cut in cuts)
        {
            File.WriteAllBytes(path, bytes[..(int)cut]);

            var e = Assert.Throws<SealedDataException>(() => SealedDataFile.Open(path));

            Assert.True(e.Check == SealCheck.Truncated, $"cut at {cut}: {e.Message}");
        }
        File.WriteAllBytes(path, bytes[..(int)layout.RecordOffsets[2]]);
        Assert.Contains("holds 2 chunk records but its header declares 3", Assert.Throws<SealedDataException>(() => SealedDataFile.Open(path)).Message);
        File.WriteAllBytes(path, bytes[..(int)(layout.RecordOffsets[1] + 30)]);
        Assert.Contains("ends inside chunk record 1 (30 of 92 bytes)", Assert.Throws<SealedDataException>(() => SealedDataFile.Open(path)).Message);
    }

    [Fact]
    public void Open_TrailingBytes_AreRefused()
    {
        var (path, bytes) = Sealed();
        var layout = SealingTestData.LayoutOf(bytes);

        File.WriteAllBytes(path, [.. bytes, 0]);
        var one = Assert.Throws<SealedDataException>(() => SealedDataFile.Open(path));
        File.WriteAllBytes(path, [.. bytes, .. SealingTestData.Record(bytes, layout, 0)]);
        var record = Assert.Throws<SealedDataException>(() => SealedDataFile.Open(path));

        Assert.Equal(SealCheck.TrailingData, one.Check);
        Assert.Contains("1 unexpected bytes follow the last of the 3 chunk records", one.Message);
        Assert.Equal(SealCheck.TrailingData, record.Check);
        Assert.Contains("92 unexpected bytes", record.Message);
    }

    [Fact]
    public void Open_OtherFile_IsNotSealedData()
    {
        string path = _dir.File("other.bin");
        File.WriteAllBytes(path, "PK\u0003\u0004 a zip file, say"u8.ToArray());

        var e = Assert.Throws<SealedDataException>(() => SealedDataFile.Open(path));

        Assert.Equal(SealCheck.NotSealedData, e.Check);
        Assert.Equal($"{path}: not a sealed data set (it does not start with \"ASYMDATA\") [NotSealedData]", e.Message);
    }

    [Fact]
    public void Open_HugeLengthFields_AreMalformed_NotAllocated()
    {
        var (path, bytes) = Sealed();
        var layout = SealingTestData.LayoutOf(bytes);

        byte[] header = (byte[])bytes.Clone();
        header[11] = 0x7F; // header length ~2 GB
        File.WriteAllBytes(path, header);
        var e1 = Assert.Throws<SealedDataException>(() => SealedDataFile.Open(path));

        byte[] record = (byte[])bytes.Clone();
        record[layout.CiphertextLength(1) + 3] = 0x80; // ciphertext length ~2 GB
        File.WriteAllBytes(path, record);
        var e2 = Assert.Throws<SealedDataException>(() => SealedDataFile.Open(path));

        Assert.Equal(SealCheck.Malformed, e1.Check);
        Assert.Contains("more than the 1048576-byte limit", e1.Message);
        Assert.Equal(SealCheck.Malformed, e2.Check);
        Assert.Contains("chunk record 1 declares 2147483700 bytes", e2.Message);
    }
}
