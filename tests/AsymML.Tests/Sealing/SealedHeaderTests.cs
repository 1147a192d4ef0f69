using System.Buffers.Binary;
using AsymML.Sealing;

namespace AsymML.Tests.Sealing;

public sealed class SealedHeaderTests
{
    private const string DatasetId = "00112233445566778899aabbccddeeff";
    private const string KeyId = "9fc998d9d9f049fa";

    private static SealedHeader Header(int count = 10, int chunkSize = 4, int classCount = 10, IReadOnlyList<string>? names = null) =>
        new(3, 5, 4, count, chunkSize, classCount, names, DatasetId, KeyId);

    [Fact]
    public void ToBytes_FixedLayout()
    {
        byte[] b = Header().ToBytes();

        Assert.Equal(50, b.Length);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(b));
        Assert.Equal(KeyId, Convert.ToHexStringLower(b.AsSpan(2, 8)));
        Assert.Equal(DatasetId, Convert.ToHexStringLower(b.AsSpan(10, 16)));
        Assert.Equal(new uint[] { 3, 5, 4, 10, 4 }, Enumerable.Range(0, 5).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(26 + 4 * i))));
        Assert.Equal(10, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(46)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(48)));
    }

    [Fact]
    public void ParseOfToBytes_GivesAnEqualHeader_WithClassNames()
    {
        string[] names = ["T-shirt/top", "Größe", "猫"];
        SealedHeader h = Header(classCount: 3, names: names);

        byte[] bytes = h.ToBytes();
        SealedHeader parsed = SealedHeader.Parse(bytes);

        Assert.Equal(50 + 3 * 2 + 11 + 7 + 3, bytes.Length); // "Größe" is 7 UTF-8 bytes, "猫" 3
        Assert.Equal(h, parsed);
        Assert.Equal(names, parsed.ClassNames);
        Assert.NotEqual(h, Header(classCount: 3, names: ["T-shirt/top", "Größe", "dog"]));
        Assert.NotEqual(h, Header(classCount: 3));
    }

    [Theory]
    [InlineData(10, 4, 3, new[] { 4, 4, 2 })]
    [InlineData(8, 4, 2, new[] { 4, 4 })]
    [InlineData(3, 1, 3, new[] { 1, 1, 1 })]
    [InlineData(5, 256, 1, new[] { 5 })]
    [InlineData(0, 4, 0, new int[0])]
    public void ChunkCountAndSamplesInChunk(int count, int chunkSize, long chunks, int[] samples)
    {
        SealedHeader h = Header(count, chunkSize);

        Assert.Equal(chunks, h.ChunkCount);
        Assert.Equal(samples, Enumerable.Range(0, (int)chunks).Select(i => h.SamplesInChunk(i)));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.SamplesInChunk(chunks));
        if (chunks > 0) Assert.Equal(samples[0] * 61, h.ChunkPlaintextBytes(0)); // 1 label + 3*5*4 pixels each
    }

    [Theory]
    [InlineData(0, 5, 10)]      // class count 0
    [InlineData(257, 5, 10)]    // labels are bytes
    [InlineData(10, 0, 10)]     // chunk size 0
    public void Constructor_RejectsOutOfRangeValues(int classCount, int chunkSize, int count)
    {
        Assert.Throws<ArgumentException>(() => Header(count, chunkSize, classCount));
    }

    [Fact]
    public void Constructor_RejectsBadIdsNamesAndHugeChunks()
    {
        Assert.Throws<ArgumentException>(() => new SealedHeader(1, 2, 2, 1, 1, 2, null, "xyz", KeyId));
        Assert.Throws<ArgumentException>(() => new SealedHeader(1, 2, 2, 1, 1, 2, null, DatasetId, KeyId + "00"));
        Assert.Throws<ArgumentException>(() => Header(classCount: 3, names: ["a", "b"]));
        Assert.Throws<ArgumentException>(() => Header(classCount: 2, names: ["a", ""]));
        var e = Assert.Throws<ArgumentException>(() => new SealedHeader(1, 1024, 1024, 1000, 1000, 2, null, DatasetId, KeyId));
        Assert.Contains("smaller chunk size", e.Message);
    }

    [Fact]
    public void Parse_OtherVersion_IsUnsupported()
    {
        byte[] b = Header().ToBytes();
        b[0] = 2;

        var e = Assert.Throws<SealedDataException>(() => SealedHeader.Parse(b, "x.sealed"));

        Assert.Equal(SealCheck.UnsupportedVersion, e.Check);
        Assert.Equal("x.sealed: sealed format version 2; this build reads version 1 [UnsupportedVersion]", e.Message);
    }

    [Theory]
    [InlineData("short", "shorter than its 50-byte fixed part")]
    [InlineData("rows0", "0 rows")]
    [InlineData("trailing", "1 unexpected bytes")]
    [InlineData("nameCount", "2 class names for 3 classes")]
    [InlineData("nameTooLong", "ends inside class name 2")]
    [InlineData("badUtf8", "class name 0 is not valid UTF-8")]
    [InlineData("count", "do not fit in one array")]
    public void Parse_Malformed_SaysWhat(string damage, string expected)
    {
        byte[] b = Header(classCount: 3, names: ["aa", "bb", "cc"]).ToBytes();
        switch (damage)
        {
            case "short": b = b[..49]; break;
            case "rows0": BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(30), 0); break;
            case "trailing": b = [.. b, 0]; break;
            case "nameCount": BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(48), 2); break;
            case "nameTooLong": BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(58), 3); break;
            case "badUtf8": b[52] = 0xFF; break;
            case "count": BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(38), int.MaxValue); break;
        }

        var e = Assert.Throws<SealedDataException>(() => SealedHeader.Parse(b));

        Assert.Equal(SealCheck.Malformed, e.Check);
        Assert.Contains(expected, e.Message);
    }
}
