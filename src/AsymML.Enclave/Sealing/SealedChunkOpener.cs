using System.Buffers.Binary;
using System.Security.Cryptography;
using AsymML.Data;

using AsymML.Sealing;

namespace AsymML.Enclave.Sealing;

/// <summary>
/// Enclave side of a sealed data set: holds the key and turns chunk records received from the untrusted host into
/// plaintext samples, trusting nothing the host sends. The constructor checks the key id and the header MAC; each
/// <see cref="Open"/> checks the stored index, the lengths against the authenticated header, the AES-GCM tag and the
/// labels, and throws before returning any sample of a chunk that fails (its plaintext buffer is zeroed).
/// Plaintext exists only inside the enclave. Not thread-safe: use one opener per thread.
/// </summary>
public sealed class SealedChunkOpener : IDisposable
{
    private readonly byte[] _header;
    private readonly AesGcm _aes;
    private readonly string? _source;
    private bool _disposed;

    /// <summary>Checks the header the host handed over and prepares to open its chunks.</summary>
    /// <param name="key">The data owner's key (the opener keeps only a derived subkey).</param>
    /// <param name="headerBytes">Header bytes followed by their 32-byte MAC, as in <see cref="SealedDataFile.HeaderBytes"/>.</param>
    /// <param name="source">Name of the file for error messages, or null.</param>
    /// <exception cref="SealedDataException"><see cref="SealCheck.Malformed"/>, <see cref="SealCheck.UnsupportedVersion"/>,
    /// <see cref="SealCheck.WrongKey"/> (naming both key ids) or <see cref="SealCheck.HeaderAltered"/>.</exception>
    public SealedChunkOpener(SealKey key, ReadOnlySpan<byte> headerBytes, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _source = source;
        if (headerBytes.Length < SealedHeader.FixedBytes + SealedFormat.MacBytes)
            throw Fail(SealCheck.Malformed, $"the header and its MAC are {headerBytes.Length} bytes, shorter than the {SealedHeader.FixedBytes + SealedFormat.MacBytes}-byte minimum");
        ReadOnlySpan<byte> header = headerBytes[..^SealedFormat.MacBytes];
        ReadOnlySpan<byte> mac = headerBytes[^SealedFormat.MacBytes..];

        // Version and key id sit at fixed offsets, so they are checked before the MAC: a wrong key then reads as a
        // wrong key, not as an altered header. Nothing else is parsed until the MAC has authenticated the header.
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header);
        if (version != SealedHeader.CurrentVersion)
            throw Fail(SealCheck.UnsupportedVersion, $"sealed format version {version}; this build reads version {SealedHeader.CurrentVersion}");
        ReadOnlySpan<byte> keyId = header.Slice(SealedHeader.KeyIdOffset, SealedFormat.KeyIdBytes);
        if (!keyId.SequenceEqual(key.KeyIdSpan))
            throw Fail(SealCheck.WrongKey, $"wrong key: sealed with key {Convert.ToHexStringLower(keyId)}, but the enclave holds key {key.KeyId}: use the data owner's key for this file");

        byte[] macKey = key.DeriveSubkey(SealKey.HeaderMacLabel);
        byte[] expected = HMACSHA256.HashData(macKey, header);
        CryptographicOperations.ZeroMemory(macKey);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
            throw Fail(SealCheck.HeaderAltered, "the header MAC does not match: the header (shape, count, chunk size, class names or data-set id) or its MAC was altered");

        Header = SealedHeader.Parse(header, source);
        _header = header.ToArray();
        byte[] encryptionKey = key.DeriveSubkey(SealKey.ChunkEncryptionLabel);
        _aes = new AesGcm(encryptionKey, SealedFormat.TagBytes);
        CryptographicOperations.ZeroMemory(encryptionKey);
    }

    /// <summary>The authenticated header.</summary>
    public SealedHeader Header { get; }

    /// <summary>
    /// Opens one chunk record. The enclave chooses which chunk it wants (<paramref name="expectedIndex"/>, e.g. its
    /// own counter or a shuffled order); the host must deliver exactly that one.
    /// </summary>
    /// <param name="expectedIndex">The chunk the enclave asked for, 0 ≤ index &lt; <see cref="SealedHeader.ChunkCount"/>.</param>
    /// <param name="record">The record bytes as received from the host.</param>
    /// <returns>The chunk's samples (<see cref="SealedHeader.SamplesInChunk"/> of them), with the header's shape and class names.</returns>
    /// <exception cref="SealedDataException"><see cref="SealCheck.Malformed"/>, <see cref="SealCheck.OutOfOrder"/> or
    /// <see cref="SealCheck.Tampered"/>; no sample of the chunk is returned.</exception>
    public LabeledImages Open(long expectedIndex, ReadOnlySpan<byte> record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(expectedIndex, Header.ChunkCount);
        if (record.Length < SealedFormat.MinRecordBytes)
            throw Fail(SealCheck.Malformed, $"chunk {expectedIndex}: the record is {record.Length} bytes, shorter than the {SealedFormat.MinRecordBytes}-byte minimum");
        ulong storedIndex = BinaryPrimitives.ReadUInt64LittleEndian(record);
        if (storedIndex != (ulong)expectedIndex)
            throw Fail(SealCheck.OutOfOrder, $"out of order: expected chunk {expectedIndex}, got chunk {storedIndex}");
        long ciphertextBytes = BinaryPrimitives.ReadUInt32LittleEndian(record[20..]);
        int plaintextBytes = Header.ChunkPlaintextBytes(expectedIndex);
        if (ciphertextBytes != plaintextBytes || record.Length != SealedFormat.MinRecordBytes + ciphertextBytes)
            throw Fail(SealCheck.Malformed, $"chunk {expectedIndex}: the record holds {record.Length - SealedFormat.MinRecordBytes} bytes of ciphertext and declares {ciphertextBytes}; the header implies {plaintextBytes}");

        ReadOnlySpan<byte> nonce = record.Slice(8, SealedFormat.NonceBytes);
        ReadOnlySpan<byte> ciphertext = record.Slice(SealedFormat.RecordPrefixBytes, plaintextBytes);
        ReadOnlySpan<byte> tag = record[^SealedFormat.TagBytes..];
        byte[] aad = SealedFormat.ChunkAssociatedData(_header, expectedIndex, last: expectedIndex == Header.ChunkCount - 1);
        var plaintext = new byte[plaintextBytes];
        try
        {
            try
            {
                _aes.Decrypt(nonce, ciphertext, tag, plaintext, aad);
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw Fail(SealCheck.Tampered, $"chunk {expectedIndex} failed authentication: ciphertext or tag altered (or the chunk belongs to another data set sealed with the same key)", e);
            }
            int n = Header.SamplesInChunk(expectedIndex);
            for (int i = 0; i < n; i++)
            {
                // Authentic labels are always in range (the writer checks); this guards the enclave against its own bugs.
                if (plaintext[i] >= Header.ClassCount)
                    throw Fail(SealCheck.Malformed, $"chunk {expectedIndex}: sample {i} has label {plaintext[i]}, but the header declares {Header.ClassCount} classes");
            }
            return new LabeledImages(plaintext[n..], plaintext[..n], n, Header.Channels, Header.Rows, Header.Cols, Header.ClassNames);
        }
        finally
        {
            // On failure this erases whatever was decrypted; on success the samples live in their own copies.
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Call after the last chunk: refuses a delivery that stopped early.</summary>
    /// <param name="chunksOpened">Number of chunks successfully opened, 0..<see cref="SealedHeader.ChunkCount"/>.</param>
    /// <exception cref="SealedDataException"><see cref="SealCheck.Truncated"/> when fewer than <see cref="SealedHeader.ChunkCount"/>.</exception>
    public void Complete(long chunksOpened)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunksOpened);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunksOpened, Header.ChunkCount);
        if (chunksOpened < Header.ChunkCount)
            throw Fail(SealCheck.Truncated, $"truncated: only {chunksOpened} of {Header.ChunkCount} chunks were delivered");
    }

    /// <summary>Releases the AES-GCM instance (and its copy of the subkey).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _aes.Dispose();
        _disposed = true;
    }

    private SealedDataException Fail(SealCheck check, string problem, Exception? inner = null) => new(check, _source, problem, inner);
}
