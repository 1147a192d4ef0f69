using System.Buffers.Binary;
using AsymML.Data;
using AsymML.Sealing;
using AsymML.Enclave.Sealing;

namespace AsymML.Tests.Sealing;

/// <summary>Small generated data sets, fixed keys and the byte layout of sealed files, for the sealing tests.</summary>
internal static class SealingTestData
{
    /// <summary>Random pixels (seeded) and labels (i * 7 + seed) mod classes.</summary>
    public static LabeledImages Images(int count, int channels = 1, int rows = 4, int cols = 3, int classes = 10, int seed = 1,
        IReadOnlyList<string>? classNames = null)
    {
        var pixels = new byte[count * channels * rows * cols];
        new Random(seed).NextBytes(pixels);
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)((i * 7 + seed) % classes)).ToArray();
        return new LabeledImages(pixels, labels, count, channels, rows, cols, classNames);
    }

    /// <summary>A fixed key: bytes first, first + 1, …, first + 31.</summary>
    public static SealKey Key(int first = 0) => SealKey.FromBytes(Enumerable.Range(first, SealKey.KeyBytes).Select(i => (byte)i).ToArray());

    /// <summary>Where each region of a sealed data file starts, read from its framing.</summary>
    public sealed record Layout(int HeaderLength, long[] RecordOffsets, int[] RecordLengths)
    {
        public const int HeaderOffset = 12;
        public long MacOffset => HeaderOffset + HeaderLength;
        public long RecordsOffset => MacOffset + 32;
        public long Index(int record) => RecordOffsets[record];
        public long Nonce(int record) => RecordOffsets[record] + 8;
        public long CiphertextLength(int record) => RecordOffsets[record] + 20;
        public long Ciphertext(int record) => RecordOffsets[record] + 24;
        public long Tag(int record) => RecordOffsets[record] + RecordLengths[record] - 16;
    }

    public static Layout LayoutOf(byte[] file)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        var offsets = new List<long>();
        var lengths = new List<int>();
        for (long at = Layout.HeaderOffset + headerLength + 32; at < file.Length;)
        {
            int length = 40 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)at + 20));
            offsets.Add(at);
            lengths.Add(length);
            at += length;
        }
        return new Layout(headerLength, offsets.ToArray(), lengths.ToArray());
    }

    /// <summary>The bytes of record <paramref name="record"/>.</summary>
    public static byte[] Record(byte[] file, Layout layout, int record) =>
        file.AsSpan((int)layout.RecordOffsets[record], layout.RecordLengths[record]).ToArray();

    /// <summary>Reads with <see cref="SealedDataReader.ReadAll"/> and returns the refusal (fails if it was accepted).</summary>
    public static SealedDataException Refused(string path, SealKey key) =>
        Assert.Throws<SealedDataException>(() => SealedDataReader.ReadAll(path, key));
}
