using System.Buffers.Binary;
using AsymML.Data;
using AsymML.Sealing;
using AsymML.Enclave.Sealing;

namespace AsymML.Tests.Sealing;

/// <summary>The enclave side: every attack the host can mount on a sealed file is refused with its own check.</summary>
public sealed class SealedChunkOpenerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SealKey _key = SealingTestData.Key();

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    /// <summary>Seals <paramref name="count"/> 1x4x3 samples in chunks of 4 (10 → records of 92, 92, 66 bytes).</summary>
    private (string Path, byte[] Bytes, SealingTestData.Layout Layout, LabeledImages Data) Sealed(int count = 10, int seed = 1, string name = "d.sealed")
    {
        LabeledImages data = SealingTestData.Images(count, seed: seed);
        string path = _dir.File(name);
        SealedDataWriter.Write(data, path, _key, chunkSize: 4);
        byte[] bytes = File.ReadAllBytes(path);
        return (path, bytes, SealingTestData.LayoutOf(bytes), data);
    }

    [Fact]
    public void Open_InAnyOrderTheEnclaveChooses_GivesTheRightSamples()
    {
        var (path, _, _, data) = Sealed();
        SealedDataFile file = SealedDataFile.Open(path);
        using var opener = new SealedChunkOpener(_key, file.HeaderBytes.Span, path);

        foreach (long index in new long[] { 2, 0, 1 })
        {
            LabeledImages chunk = opener.Open(index, file.ReadChunk(index).Record.Span);

            int first = (int)index * 4, n = index == 2 ? 2 : 4;
            Assert.Equal(n, chunk.Count);
            Assert.Equal(data.Labels[first..(first + n)], chunk.Labels);
            Assert.Equal(data.Pixels[(first * 12)..((first + n) * 12)], chunk.Pixels);
        }
        opener.Complete(3);
        Assert.Equal(file.Header, opener.Header);
        Assert.Throws<ArgumentOutOfRangeException>(() => opener.Open(3, file.ReadChunk(2).Record.Span));
    }

    [Theory]
    [InlineData("magic", 0, SealCheck.NotSealedData)]
    [InlineData("header length", 0, SealCheck.Malformed)]        // 50 → 51: the header swallows a MAC byte
    [InlineData("header", 0, SealCheck.UnsupportedVersion)]      // version
    [InlineData("header", 2, SealCheck.WrongKey)]                // key id
    [InlineData("header", 10, SealCheck.HeaderAltered)]          // data-set id
    [InlineData("header", 30, SealCheck.HeaderAltered)]          // rows 4 → 5
    [InlineData("header", 38, SealCheck.HeaderAltered)]          // count 10 → 11 (still 3 chunks)
    [InlineData("header MAC", 0, SealCheck.HeaderAltered)]
    [InlineData("header MAC", 31, SealCheck.HeaderAltered)]
    [InlineData("chunk index", 0, SealCheck.OutOfOrder)]
    [InlineData("nonce", 0, SealCheck.Tampered)]
    [InlineData("nonce", 11, SealCheck.Tampered)]
    [InlineData("ciphertext length", 2, SealCheck.Truncated)]    // 52 → 65588: record 1 runs past the end of the file
    [InlineData("ciphertext", 0, SealCheck.Tampered)]           // a label
    [InlineData("ciphertext", 51, SealCheck.Tampered)]          // the last pixel
    [InlineData("tag", 0, SealCheck.Tampered)]
    [InlineData("tag", 15, SealCheck.Tampered)]
    public void FlippedByte_IsRefusedByTheExpectedCheck(string region, int offset, SealCheck expected)
    {
        var (path, bytes, layout, _) = Sealed();
        long start = region switch
        {
            "magic" => 0,
            "header length" => 8,
            "header" => SealingTestData.Layout.HeaderOffset,
            "header MAC" => layout.MacOffset,
            "chunk index" => layout.Index(1),
            "nonce" => layout.Nonce(1),
            "ciphertext length" => layout.CiphertextLength(1),
            "ciphertext" => layout.Ciphertext(1),
            _ => layout.Tag(1),
        };
        bytes[start + offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        SealedDataException e = SealingTestData.Refused(path, _key);

        Assert.True(expected == e.Check, $"{region}+{offset}: expected {expected}, got {e.Message}");
        Assert.StartsWith(path + ": ", e.Message);
        Assert.EndsWith($"[{expected}]", e.Message);
    }

    [Fact]
    public void EveryFlippedBit_AnywhereInTheFile_IsRefused()
    {
        var (path, bytes, _, _) = Sealed();
        var checks = new Dictionary<SealCheck, int>();
        foreach (byte bit in new byte[] { 0x01, 0x80 })
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] ^= bit;
                File.WriteAllBytes(path, bytes);
                bytes[i] ^= bit;
                SealCheck check = SealingTestData.Refused(path, _key).Check;
                checks[check] = checks.GetValueOrDefault(check) + 1;
            }
        }

        // Two flips per byte, 688 in all. Exact by region: magic 8 bytes, version 2, key id 8, chunk indices 3 x 8;
        // nonces, tags and ciphertext 3 x 28 + 130 bytes all fail AES-GCM. The header MAC (32) and data-set id (16)
        // give 96 HeaderAltered; 13 more come from shape/count fields whose flipped value keeps the framing valid for
        // the host. The remaining 67 flips break the framing (length fields, counts that change the number of chunks,
        // limits exceeded) and the host refuses them as Malformed, Truncated or TrailingData; which of the three
        // depends on the random nonce and tag bytes a shifted record boundary lands in.
        Assert.Equal(2 * 344, checks.Values.Sum());
        Assert.Equal(2 * 8, checks[SealCheck.NotSealedData]);
        Assert.Equal(2 * 2, checks[SealCheck.UnsupportedVersion]);
        Assert.Equal(2 * 8, checks[SealCheck.WrongKey]);
        Assert.Equal(2 * 3 * 8, checks[SealCheck.OutOfOrder]);
        Assert.Equal(2 * (3 * (12 + 16) + 130), checks[SealCheck.Tampered]);
        Assert.Equal(2 * (32 + 16) + 13, checks[SealCheck.HeaderAltered]);
        Assert.Equal(67, new[] { SealCheck.Malformed, SealCheck.Truncated, SealCheck.TrailingData }.Sum(c => checks.GetValueOrDefault(c)));
    }

    [Fact]
    public void SwappedRecords_AreOutOfOrder_AndWithRewrittenIndicesFailAuthentication()
    {
        var (path, bytes, layout, _) = Sealed(count: 12); // three full chunks of 92 bytes
        byte[] r0 = SealingTestData.Record(bytes, layout, 0), r1 = SealingTestData.Record(bytes, layout, 1);
        byte[] swapped = [.. bytes[..(int)layout.RecordsOffset], .. r1, .. r0, .. SealingTestData.Record(bytes, layout, 2)];
        File.WriteAllBytes(path, swapped);

        SealedDataException order = SealingTestData.Refused(path, _key);

        BinaryPrimitives.WriteUInt64LittleEndian(swapped.AsSpan((int)layout.Index(0)), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(swapped.AsSpan((int)layout.Index(1)), 1);
        File.WriteAllBytes(path, swapped);
        SealedDataException rewritten = SealingTestData.Refused(path, _key);

        Assert.Equal(SealCheck.OutOfOrder, order.Check);
        Assert.Contains("out of order: expected chunk 0, got chunk 1", order.Message);
        Assert.Equal(SealCheck.Tampered, rewritten.Check);
        Assert.Contains("chunk 0 failed authentication: ciphertext or tag altered", rewritten.Message);
    }

    [Fact]
    public void DroppedReplayedOrRelabelledChunks_AreRefusedByTheEnclave()
    {
        var (path, _, _, _) = Sealed(count: 12);
        SealedDataFile file = SealedDataFile.Open(path);
        using var opener = new SealedChunkOpener(_key, file.HeaderBytes.Span);
        byte[] r0 = file.ReadChunk(0).Record.ToArray(), r2 = file.ReadChunk(2).Record.ToArray();
        opener.Open(0, r0);

        var replay = Assert.Throws<SealedDataException>(() => opener.Open(1, r0));
        var skip = Assert.Throws<SealedDataException>(() => opener.Open(1, r2));
        BinaryPrimitives.WriteUInt64LittleEndian(r2, 1); // chunk 2 (the last) passed off as chunk 1
        var relabelled = Assert.Throws<SealedDataException>(() => opener.Open(1, r2));
        var stopped = Assert.Throws<SealedDataException>(() => opener.Complete(1));

        Assert.Equal("out of order: expected chunk 1, got chunk 0 [OutOfOrder]", replay.Message);
        Assert.Equal(SealCheck.OutOfOrder, skip.Check);
        Assert.Equal(SealCheck.Tampered, relabelled.Check);
        Assert.Equal("truncated: only 1 of 3 chunks were delivered [Truncated]", stopped.Message);
        Assert.Null(stopped.FilePath);
    }

    [Fact]
    public void ChunksFromAnotherFileWithTheSameKey_FailAuthentication()
    {
        var (pathA, bytesA, layout, _) = Sealed(count: 12, seed: 1, name: "a.sealed");
        var (pathB, bytesB, _, _) = Sealed(count: 12, seed: 2, name: "b.sealed");

        // One record of B spliced into A at the same position (same index, same length, valid for B's header).
        byte[] spliced = (byte[])bytesA.Clone();
        SealingTestData.Record(bytesB, layout, 1).CopyTo(spliced, layout.RecordOffsets[1]);
        File.WriteAllBytes(pathA, spliced);
        SealedDataException record = SealingTestData.Refused(pathA, _key);

        // B's authentic header (and MAC) in front of A's records.
        byte[] headerSwap = [.. bytesB[..(int)layout.RecordsOffset], .. bytesA[(int)layout.RecordsOffset..]];
        File.WriteAllBytes(pathB, headerSwap);
        SealedDataException header = SealingTestData.Refused(pathB, _key);

        Assert.Equal(SealCheck.Tampered, record.Check);
        Assert.Contains("chunk 1 failed authentication", record.Message);
        Assert.Equal(SealCheck.Tampered, header.Check);
        Assert.Contains("chunk 0 failed authentication", header.Message);
    }

    [Fact]
    public void Constructor_RefusesShortOrForeignHeaders()
    {
        var (path, _, _, _) = Sealed();
        byte[] headerBytes = SealedDataFile.Open(path).HeaderBytes.ToArray();
        using SealKey other = SealingTestData.Key(first: 7);

        var shortHeader = Assert.Throws<SealedDataException>(() => new SealedChunkOpener(_key, headerBytes.AsSpan(0, 81), "h"));
        var wrongKey = Assert.Throws<SealedDataException>(() => new SealedChunkOpener(other, headerBytes));

        Assert.Equal(SealCheck.Malformed, shortHeader.Check);
        Assert.StartsWith("h: ", shortHeader.Message);
        Assert.Equal(SealCheck.WrongKey, wrongKey.Check);
        Assert.Contains(other.KeyId, wrongKey.Message);
        Assert.Contains(_key.KeyId, wrongKey.Message);
    }
}
