using System.Buffers.Binary;
using System.Security.Cryptography;
using AsymML.Data;
using AsymML.IO;

using AsymML.Sealing;

namespace AsymML.Enclave.Sealing;

/// <summary>
/// Seals a labelled image set with the data owner's key (data-owner side: it sees the plaintext). The output
/// reveals only the header (shape, count, chunk size, class count and names) and record sizes; labels and pixels
/// are encrypted with AES-256-GCM, one random 96-bit nonce per chunk. Layout: see docs/sealed-data.md.
/// </summary>
public static class SealedDataWriter
{
    /// <summary>Default samples per chunk (a 28x28 chunk is then 201 KB of plaintext).</summary>
    public const int DefaultChunkSize = 256;

    /// <summary>
    /// Seals <paramref name="data"/> to <paramref name="path"/> atomically: the file appears complete or not at all
    /// (an existing file is replaced only on success).
    /// </summary>
    /// <param name="data">Images and labels to seal.</param>
    /// <param name="path">Destination file; its folder must exist.</param>
    /// <param name="key">The data owner's key.</param>
    /// <param name="chunkSize">Samples per chunk, ≥ 1 (default 256).</param>
    /// <param name="classCount">Number of classes; default: the number of class names, else the largest label + 1.</param>
    /// <returns>The header written (with the fresh DatasetId).</returns>
    /// <exception cref="ArgumentException">Invalid chunk size or class count, or a label ≥ the class count (nothing is written).</exception>
    public static SealedHeader Write(LabeledImages data, string path, SealKey key, int chunkSize = DefaultChunkSize, int? classCount = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SealedHeader? header = null;
        AtomicFile.Write(path, stream => header = Write(data, stream, key, chunkSize, classCount));
        return header ?? throw new InvalidOperationException("The writer returned without a header.");
    }

    /// <summary>
    /// Seals <paramref name="data"/> to <paramref name="destination"/> from its current position. Not atomic: on
    /// failure the stream holds a prefix, which any reader refuses as truncated.
    /// </summary>
    /// <param name="data">Images and labels to seal.</param>
    /// <param name="destination">A writable stream; left open.</param>
    /// <param name="key">The data owner's key.</param>
    /// <param name="chunkSize">Samples per chunk, ≥ 1 (default 256).</param>
    /// <param name="classCount">Number of classes; default: the number of class names, else the largest label + 1.</param>
    /// <returns>The header written (with the fresh DatasetId).</returns>
    /// <exception cref="ArgumentException">Invalid chunk size or class count, or a label ≥ the class count.</exception>
    public static SealedHeader Write(LabeledImages data, Stream destination, SealKey key, int chunkSize = DefaultChunkSize, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        int classes = classCount ?? data.ClassNames?.Count ?? (data.Count == 0 ? 1 : data.Labels.Max() + 1);
        if (data.ClassNames is not null && data.ClassNames.Count != classes)
            throw new ArgumentException($"classCount {classes} differs from the {data.ClassNames.Count} class names of the data.", nameof(classCount));

        var header = new SealedHeader(data.Channels, data.Rows, data.Cols, data.Count, chunkSize, classes, data.ClassNames,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SealedHeader.DatasetIdBytes)), key.KeyId);
        byte[] headerBytes = header.ToBytes();
        byte[] macKey = key.DeriveSubkey(SealKey.HeaderMacLabel);
        byte[] encryptionKey = key.DeriveSubkey(SealKey.ChunkEncryptionLabel);
        byte[] plaintext = header.ChunkCount == 0 ? [] : new byte[header.ChunkPlaintextBytes(0)];
        try
        {
            Span<byte> u32 = stackalloc byte[4];
            destination.Write(SealedFormat.Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)headerBytes.Length);
            destination.Write(u32);
            destination.Write(headerBytes);
            destination.Write(HMACSHA256.HashData(macKey, headerBytes));

            using var aes = new AesGcm(encryptionKey, SealedFormat.TagBytes);
            var ciphertext = new byte[plaintext.Length];
            Span<byte> prefix = stackalloc byte[SealedFormat.RecordPrefixBytes];
            Span<byte> tag = stackalloc byte[SealedFormat.TagBytes];
            int pixelsPerImage = header.PixelsPerImage;
            for (long index = 0; index < header.ChunkCount; index++)
            {
                int first = (int)(index * chunkSize);
                int n = header.SamplesInChunk(index);
                Span<byte> chunk = plaintext.AsSpan(0, n * (1 + pixelsPerImage));
                for (int i = 0; i < n; i++)
                {
                    byte label = data.Labels[first + i];
                    if (label >= classes)
                        throw new ArgumentException($"Image {first + i} has label {label}, but the class count is {classes}.", nameof(data));
                    chunk[i] = label;
                }
                data.Pixels.AsSpan(first * pixelsPerImage, n * pixelsPerImage).CopyTo(chunk[n..]);

                // A fresh random nonce per chunk: with at most 2^32 chunks per key, the chance that two chunks ever share
                // a nonce stays below 2^-32 (NIST SP 800-38D, 8.3). Counters would need state kept across sealings.
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)index);
                Span<byte> nonce = prefix.Slice(8, SealedFormat.NonceBytes);
                RandomNumberGenerator.Fill(nonce);
                BinaryPrimitives.WriteUInt32LittleEndian(prefix[20..], (uint)chunk.Length);
                byte[] aad = SealedFormat.ChunkAssociatedData(headerBytes, index, last: index == header.ChunkCount - 1);
                Span<byte> sealedChunk = ciphertext.AsSpan(0, chunk.Length);
                aes.Encrypt(nonce, chunk, sealedChunk, tag, aad);
                destination.Write(prefix);
                destination.Write(sealedChunk);
                destination.Write(tag);
            }
            return header;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(macKey);
            CryptographicOperations.ZeroMemory(encryptionKey);
        }
    }
}
