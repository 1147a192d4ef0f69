using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace AsymML.Sealing;

/// <summary>
/// Host side of a sealed data set: reads the file's framing without the key and hands raw chunk records to the
/// enclave. It sees only ciphertext and the plaintext header (shape, count, chunk size, class count and names).
/// It validates magic, version and framing — not the header MAC, which needs the key: the enclave's
/// the enclave's chunk opener (AsymML.Enclave.Sealing.SealedChunkOpener) checks that, and everything else, again.
/// </summary>
public sealed class SealedDataFile
{
    private readonly long[] _recordOffsets;
    private readonly int[] _recordBytes;

    private SealedDataFile(string filePath, SealedHeader header, byte[] headerBytes, long[] recordOffsets, int[] recordBytes)
    {
        FilePath = filePath;
        Header = header;
        HeaderBytes = headerBytes;
        _recordOffsets = recordOffsets;
        _recordBytes = recordBytes;
    }

    /// <summary>Path the file was opened from.</summary>
    public string FilePath { get; }

    /// <summary>The header as parsed on the host: not authenticated here.</summary>
    public SealedHeader Header { get; }

    /// <summary>The header bytes exactly as stored followed by their 32-byte MAC: what the enclave's
    /// the enclave's chunk opener (AsymML.Enclave.Sealing.SealedChunkOpener) takes.</summary>
    public ReadOnlyMemory<byte> HeaderBytes { get; }

    /// <summary>Number of chunk records (equals <see cref="SealedHeader.ChunkCount"/>; checked at open).</summary>
    public long ChunkCount => _recordOffsets.LongLength;

    /// <summary>
    /// Opens <paramref name="path"/> and walks its framing (record prefixes only, no ciphertext is read), so that a
    /// file that is not sealed data, ends early, holds fewer records than its header declares, or has trailing bytes
    /// is refused before any chunk goes to the enclave.
    /// </summary>
    /// <param name="path">Sealed data file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SealedDataException"><see cref="SealCheck.NotSealedData"/>, <see cref="SealCheck.UnsupportedVersion"/>,
    /// <see cref="SealCheck.Malformed"/>, <see cref="SealCheck.Truncated"/> or <see cref="SealCheck.TrailingData"/>.</exception>
    public static SealedDataFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Sealed data file {path} does not exist.", path);
        using SafeFileHandle handle = File.OpenHandle(path);
        long length = RandomAccess.GetLength(handle);

        Span<byte> start = stackalloc byte[SealedFormat.MagicBytes + 4];
        int got = ReadFully(handle, start, 0);
        int magicBytes = Math.Min(got, SealedFormat.MagicBytes);
        if (!start[..magicBytes].SequenceEqual(SealedFormat.Magic[..magicBytes]))
            throw new SealedDataException(SealCheck.NotSealedData, path, "not a sealed data set (it does not start with \"ASYMDATA\")");
        if (got < start.Length)
            throw Truncated(path, $"the file is {length} bytes and ends inside the magic or header length");
        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(start[SealedFormat.MagicBytes..]);
        if (headerLength > SealedHeader.MaxHeaderBytes)
            throw new SealedDataException(SealCheck.Malformed, path, $"the header length field says {headerLength} bytes, more than the {SealedHeader.MaxHeaderBytes}-byte limit");
        long headerStart = start.Length;
        if (length - headerStart < headerLength)
            throw Truncated(path, $"the file ends inside the header ({length - headerStart} of {headerLength} bytes)");
        if (length - headerStart - headerLength < SealedFormat.MacBytes)
            throw Truncated(path, "the file ends inside the header MAC");

        var headerAndMac = new byte[headerLength + SealedFormat.MacBytes];
        if (ReadFully(handle, headerAndMac, headerStart) < headerAndMac.Length)
            throw Truncated(path, "the file shrank while its header was read");
        SealedHeader header = SealedHeader.Parse(headerAndMac.AsSpan(0, (int)headerLength), path);

        long chunkCount = header.ChunkCount;
        var offsets = new long[chunkCount];
        var sizes = new int[chunkCount];
        long at = headerStart + headerAndMac.Length;
        Span<byte> prefix = stackalloc byte[SealedFormat.RecordPrefixBytes];
        for (long i = 0; i < chunkCount; i++)
        {
            if (at == length)
                throw Truncated(path, $"the file holds {i} chunk records but its header declares {chunkCount}");
            if (length - at < SealedFormat.RecordPrefixBytes)
                throw Truncated(path, $"the file ends inside the prefix of chunk record {i}");
            if (ReadFully(handle, prefix, at) < prefix.Length)
                throw Truncated(path, $"the file shrank while chunk record {i} was read");
            long recordBytes = SealedFormat.MinRecordBytes + (long)BinaryPrimitives.ReadUInt32LittleEndian(prefix[20..]);
            // The host bounds a record only by the file and the chunk limit; its exact length is the enclave's to check
            // against the authenticated header, so that an altered header is reported as such rather than as framing.
            if (recordBytes > SealedFormat.MinRecordBytes + SealedHeader.MaxChunkBytes)
                throw new SealedDataException(SealCheck.Malformed, path, $"chunk record {i} declares {recordBytes - SealedFormat.MinRecordBytes} bytes of ciphertext, more than the {SealedHeader.MaxChunkBytes}-byte chunk limit");
            if (length - at < recordBytes)
                throw Truncated(path, $"the file ends inside chunk record {i} ({length - at} of {recordBytes} bytes)");
            offsets[i] = at;
            sizes[i] = (int)recordBytes;
            at += recordBytes;
        }
        if (at != length)
            throw new SealedDataException(SealCheck.TrailingData, path, $"{length - at} unexpected bytes follow the last of the {chunkCount} chunk records");
        return new SealedDataFile(path, header, headerAndMac, offsets, sizes);
    }

    /// <summary>Reads the record at <paramref name="position"/> (0-based order in the file), e.g. the one the enclave asked for.</summary>
    /// <param name="position">0 ≤ position &lt; <see cref="ChunkCount"/>.</param>
    /// <exception cref="SealedDataException"><see cref="SealCheck.Truncated"/> if the file shrank since it was opened.</exception>
    public SealedChunk ReadChunk(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, ChunkCount);
        using SafeFileHandle handle = File.OpenHandle(FilePath);
        return Read(handle, position);
    }

    /// <summary>All records in file order, read one at a time (one record in memory per step).</summary>
    public IEnumerable<SealedChunk> ReadChunks()
    {
        using SafeFileHandle handle = File.OpenHandle(FilePath);
        for (long i = 0; i < ChunkCount; i++)
            yield return Read(handle, i);
    }

    private SealedChunk Read(SafeFileHandle handle, long position)
    {
        var record = new byte[_recordBytes[position]];
        long offset = _recordOffsets[position];
        if (ReadFully(handle, record, offset) < record.Length)
            throw Truncated(FilePath, $"the file shrank since it was opened: it ends inside chunk record {position}");
        return new SealedChunk((long)BinaryPrimitives.ReadUInt64LittleEndian(record), position, offset, record);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the bytes read.</summary>
    private static int ReadFully(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[got..], offset + got);
            if (n == 0) break;
            got += n;
        }
        return got;
    }

    private static SealedDataException Truncated(string path, string problem) => new(SealCheck.Truncated, path, problem);
}
