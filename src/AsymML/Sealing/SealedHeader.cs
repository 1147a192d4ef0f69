using System.Buffers.Binary;
using System.Text;

namespace AsymML.Sealing;

/// <summary>
/// The plaintext header of a sealed data set. The host can read it (it needs the count and chunk framing to hand
/// chunks over), so it holds nothing private beyond what it declares: shape, count, chunk size, class count and
/// class names. Its integrity is protected by an HMAC the enclave checks; every chunk's AES-GCM associated data
/// also contains these exact bytes, binding each chunk to this header (and so to <see cref="DatasetId"/>).
/// </summary>
/// <remarks>
/// Serialised little-endian (offsets in bytes):
/// 0 u16 version = 1 · 2 KeyId (8) · 10 DatasetId (16) · 26 u32 Channels · 30 u32 Rows · 34 u32 Cols ·
/// 38 u32 Count · 42 u32 ChunkSize · 46 u16 ClassCount · 48 u16 number of class names (0 or ClassCount) ·
/// 50 names, each u16 length + UTF-8 bytes. Version and key id come first, at fixed offsets, so the enclave can
/// report an unsupported version or a wrong key before (and without) parsing anything else.
/// </remarks>
public sealed record SealedHeader
{
    /// <summary>The format version this build writes and reads.</summary>
    public const ushort CurrentVersion = 1;

    /// <summary>Length in bytes of the data-set id.</summary>
    public const int DatasetIdBytes = 16;

    /// <summary>Largest plaintext of one chunk, in bytes (labels + pixels); keeps chunk buffers modest.</summary>
    public const int MaxChunkBytes = 256 << 20;

    /// <summary>Largest serialised header, in bytes.</summary>
    public const int MaxHeaderBytes = 1 << 20;

    /// <summary>Largest class name, in UTF-8 bytes.</summary>
    public const int MaxClassNameBytes = 1024;

    internal const int FixedBytes = 50;
    internal const int KeyIdOffset = 2;
    private const int MaxSide = 65535;
    private const int MaxChannels = 4096;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Creates a header, checking every limit.</summary>
    /// <param name="channels">Channels per image, 1..4096.</param>
    /// <param name="rows">Image height in pixels, 1..65535.</param>
    /// <param name="cols">Image width in pixels, 1..65535.</param>
    /// <param name="count">Number of samples, ≥ 0; Count x Channels x Rows x Cols must fit in one .NET array.</param>
    /// <param name="chunkSize">Samples per chunk (the last chunk may hold fewer), ≥ 1; the largest chunk's plaintext must stay ≤ <see cref="MaxChunkBytes"/>.</param>
    /// <param name="classCount">Number of classes, 1..256 (labels are bytes, each &lt; classCount).</param>
    /// <param name="classNames">Null, or exactly <paramref name="classCount"/> names of 1..1024 UTF-8 bytes.</param>
    /// <param name="datasetId">32 hex digits (16 random bytes chosen when sealing).</param>
    /// <param name="keyId">16 hex digits, the the sealing key's KeyId (AsymML.Enclave.Sealing.SealKey) of the sealing key.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public SealedHeader(int channels, int rows, int cols, int count, int chunkSize, int classCount,
        IReadOnlyList<string>? classNames, string datasetId, string keyId)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        ArgumentNullException.ThrowIfNull(keyId);
        string? problem = Problem(channels, rows, cols, count, chunkSize, classCount)
            ?? HexProblem("data-set id", datasetId, DatasetIdBytes)
            ?? HexProblem("key id", keyId, SealedFormat.KeyIdBytes)
            ?? NamesProblem(classNames, classCount);
        if (problem is not null)
            throw new ArgumentException($"Invalid sealed header: {problem}.");
        Channels = channels;
        Rows = rows;
        Cols = cols;
        Count = count;
        ChunkSize = chunkSize;
        ClassCount = classCount;
        ClassNames = classNames?.ToArray();
        DatasetId = datasetId.ToLowerInvariant();
        KeyId = keyId.ToLowerInvariant();
    }

    /// <summary>Format version (always <see cref="CurrentVersion"/>: other versions are refused when parsing).</summary>
    public ushort Version => CurrentVersion;

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Cols { get; }

    /// <summary>Number of samples in the data set.</summary>
    public int Count { get; }

    /// <summary>Samples per chunk; every chunk but the last holds exactly this many.</summary>
    public int ChunkSize { get; }

    /// <summary>Number of classes; every label is &lt; ClassCount.</summary>
    public int ClassCount { get; }

    /// <summary>Class names (index = label), or null. Visible to the host.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>16 random bytes as 32 lowercase hex digits, fresh for each sealing: chunks of two data sets sealed
    /// with the same key fail authentication when mixed, because this id is part of every chunk's associated data.</summary>
    public string DatasetId { get; }

    /// <summary>Key id of the sealing key (16 lowercase hex digits, see the sealing key's KeyId (AsymML.Enclave.Sealing.SealKey)).</summary>
    public string KeyId { get; }

    /// <summary>Bytes per image (Channels x Rows x Cols).</summary>
    public int PixelsPerImage => Channels * Rows * Cols;

    /// <summary>Number of chunk records: ceil(Count / ChunkSize), 0 for an empty set.</summary>
    public long ChunkCount => ((long)Count + ChunkSize - 1) / ChunkSize;

    /// <summary>Samples in chunk <paramref name="index"/>: ChunkSize, or the remainder for the last chunk.</summary>
    /// <param name="index">Chunk index, 0 ≤ index &lt; <see cref="ChunkCount"/>.</param>
    public int SamplesInChunk(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ChunkCount);
        return (int)Math.Min(ChunkSize, Count - index * ChunkSize);
    }

    /// <summary>Plaintext bytes of chunk <paramref name="index"/>: its labels (1 byte each) then its pixels.</summary>
    public int ChunkPlaintextBytes(long index) => SamplesInChunk(index) * (1 + PixelsPerImage);

    /// <summary>The serialised header (layout in the remarks); these exact bytes are MACed and used as associated data.</summary>
    public byte[] ToBytes()
    {
        byte[][] names = (ClassNames ?? []).Select(StrictUtf8.GetBytes).ToArray();
        var bytes = new byte[FixedBytes + names.Sum(n => 2 + n.Length)];
        Span<byte> s = bytes;
        BinaryPrimitives.WriteUInt16LittleEndian(s, CurrentVersion);
        Convert.FromHexString(KeyId).CopyTo(s[KeyIdOffset..]);
        Convert.FromHexString(DatasetId).CopyTo(s[10..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[26..], (uint)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(s[30..], (uint)Rows);
        BinaryPrimitives.WriteUInt32LittleEndian(s[34..], (uint)Cols);
        BinaryPrimitives.WriteUInt32LittleEndian(s[38..], (uint)Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[42..], (uint)ChunkSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[46..], (ushort)ClassCount);
        BinaryPrimitives.WriteUInt16LittleEndian(s[48..], (ushort)names.Length);
        int at = FixedBytes;
        foreach (byte[] name in names)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s[at..], (ushort)name.Length);
            name.CopyTo(s[(at + 2)..]);
            at += 2 + name.Length;
        }
        return bytes;
    }

    /// <summary>Parses header bytes, checking bounds and every limit. Does not (cannot) check the MAC.</summary>
    /// <param name="bytes">Exactly the header bytes (no MAC).</param>
    /// <param name="source">File path for error messages, or null.</param>
    /// <exception cref="SealedDataException"><see cref="SealCheck.UnsupportedVersion"/> or <see cref="SealCheck.Malformed"/>.</exception>
    public static SealedHeader Parse(ReadOnlySpan<byte> bytes, string? source = null)
    {
        if (bytes.Length < 2)
            throw Malformed(source, $"the header is {bytes.Length} bytes, too short to hold a version");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        if (version != CurrentVersion)
            throw new SealedDataException(SealCheck.UnsupportedVersion, source, $"sealed format version {version}; this build reads version {CurrentVersion}");
        if (bytes.Length < FixedBytes)
            throw Malformed(source, $"the header is {bytes.Length} bytes, shorter than its {FixedBytes}-byte fixed part");
        if (bytes.Length > MaxHeaderBytes)
            throw Malformed(source, $"the header is {bytes.Length} bytes, more than the {MaxHeaderBytes}-byte limit");

        string keyId = Convert.ToHexStringLower(bytes.Slice(KeyIdOffset, SealedFormat.KeyIdBytes));
        string datasetId = Convert.ToHexStringLower(bytes.Slice(10, DatasetIdBytes));
        long channels = BinaryPrimitives.ReadUInt32LittleEndian(bytes[26..]);
        long rows = BinaryPrimitives.ReadUInt32LittleEndian(bytes[30..]);
        long cols = BinaryPrimitives.ReadUInt32LittleEndian(bytes[34..]);
        long count = BinaryPrimitives.ReadUInt32LittleEndian(bytes[38..]);
        long chunkSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes[42..]);
        int classCount = BinaryPrimitives.ReadUInt16LittleEndian(bytes[46..]);
        int nameCount = BinaryPrimitives.ReadUInt16LittleEndian(bytes[48..]);
        string? problem = Problem(channels, rows, cols, count, chunkSize, classCount);
        if (problem is not null)
            throw Malformed(source, problem);
        if (nameCount != 0 && nameCount != classCount)
            throw Malformed(source, $"the header has {nameCount} class names for {classCount} classes");

        var names = new string[nameCount];
        int at = FixedBytes;
        for (int i = 0; i < nameCount; i++)
        {
            if (bytes.Length - at < 2)
                throw Malformed(source, $"the header ends inside the length of class name {i}");
            int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
            at += 2;
            if (length == 0 || length > MaxClassNameBytes)
                throw Malformed(source, $"class name {i} is {length} bytes; names are 1..{MaxClassNameBytes} bytes");
            if (bytes.Length - at < length)
                throw Malformed(source, $"the header ends inside class name {i}");
            try
            {
                names[i] = StrictUtf8.GetString(bytes.Slice(at, length));
            }
            catch (DecoderFallbackException e)
            {
                throw new SealedDataException(SealCheck.Malformed, source, $"class name {i} is not valid UTF-8", e);
            }
            at += length;
        }
        if (at != bytes.Length)
            throw Malformed(source, $"the header has {bytes.Length - at} unexpected bytes after its last field");
        return new SealedHeader((int)channels, (int)rows, (int)cols, (int)count, (int)chunkSize, classCount,
            nameCount == 0 ? null : names, datasetId, keyId);
    }

    /// <summary>Equal when every field is equal, class names compared element by element.</summary>
    public bool Equals(SealedHeader? other) =>
        other is not null && Channels == other.Channels && Rows == other.Rows && Cols == other.Cols && Count == other.Count
        && ChunkSize == other.ChunkSize && ClassCount == other.ClassCount && DatasetId == other.DatasetId && KeyId == other.KeyId
        && (ClassNames ?? []).SequenceEqual(other.ClassNames ?? []) && (ClassNames is null) == (other.ClassNames is null);

    /// <summary>Hash of the fields compared by <see cref="Equals(SealedHeader?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Channels, Rows, Cols, Count, ChunkSize, ClassCount, DatasetId, KeyId);

    private static SealedDataException Malformed(string? source, string problem) => new(SealCheck.Malformed, source, problem);

    // Shared by the constructor (ArgumentException) and Parse (SealedDataException) so both enforce the same limits.
    // Takes longs so that u32 fields read from a file are checked before any narrowing.
    private static string? Problem(long channels, long rows, long cols, long count, long chunkSize, long classCount)
    {
        if (channels is < 1 or > MaxChannels) return $"{channels} channels; expected 1..{MaxChannels}";
        if (rows is < 1 or > MaxSide) return $"{rows} rows; expected 1..{MaxSide}";
        if (cols is < 1 or > MaxSide) return $"{cols} columns; expected 1..{MaxSide}";
        if (count is < 0 or > int.MaxValue) return $"count {count}; expected 0..{int.MaxValue}";
        if (chunkSize is < 1 or > int.MaxValue) return $"chunk size {chunkSize}; expected ≥ 1";
        if (classCount is < 1 or > 256) return $"{classCount} classes; expected 1..256 (labels are bytes)";
        long pixelsPerImage = channels * rows * cols;
        if (pixelsPerImage * count > Array.MaxLength)
            return $"{count} images of {channels}x{rows}x{cols} do not fit in one array ({pixelsPerImage * count} bytes)";
        long largestChunk = Math.Min(chunkSize, count) * (1 + pixelsPerImage);
        if (largestChunk > MaxChunkBytes)
            return $"a chunk of {Math.Min(chunkSize, count)} samples is {largestChunk} bytes, more than the {MaxChunkBytes}-byte limit; use a smaller chunk size";
        return null;
    }

    private static string? HexProblem(string what, string hex, int bytes) =>
        hex.Length == 2 * bytes && hex.All(Uri.IsHexDigit) ? null : $"the {what} must be {2 * bytes} hex digits, not \"{hex}\"";

    private static string? NamesProblem(IReadOnlyList<string>? names, int classCount)
    {
        if (names is null) return null;
        if (names.Count != classCount) return $"{names.Count} class names for {classCount} classes";
        for (int i = 0; i < names.Count; i++)
        {
            int length;
            try
            {
                length = names[i] is null ? 0 : StrictUtf8.GetByteCount(names[i]);
            }
            catch (EncoderFallbackException)
            {
                return $"class name {i} is not valid Unicode (lone surrogate)";
            }
            if (length is 0 or > MaxClassNameBytes) return $"class name {i} is {length} UTF-8 bytes; names are 1..{MaxClassNameBytes} bytes";
        }
        return null;
    }
}
