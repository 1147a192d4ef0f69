using System.Buffers.Binary;

namespace AsymML.Sealing;

/// <summary>
/// Byte layout of a sealed data set, shared by the writer, the host-side reader and the enclave-side opener:
/// "ASYMDATA" ‖ u32 LE header length ‖ header ‖ HMAC-SHA256 of the header (32) ‖ records, each
/// u64 LE chunk index ‖ nonce (12) ‖ u32 LE ciphertext length ‖ ciphertext ‖ GCM tag (16).
/// </summary>
internal static class SealedFormat
{
    public static ReadOnlySpan<byte> Magic => "ASYMDATA"u8;
    public const int MagicBytes = 8;
    public const int KeyIdBytes = 8;
    public const int MacBytes = 32;
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    /// <summary>Chunk index (8) + nonce (12) + ciphertext length (4).</summary>
    public const int RecordPrefixBytes = 8 + NonceBytes + 4;

    /// <summary>Smallest possible record: prefix + tag around an empty ciphertext.</summary>
    public const int MinRecordBytes = RecordPrefixBytes + TagBytes;

    /// <summary>
    /// GCM associated data of chunk <paramref name="index"/>: header bytes ‖ u64 LE index ‖ 1 if it is the last
    /// chunk else 0. The header binds the chunk to this data set (its DatasetId, shape, count); the index binds it to
    /// its position, so reordering or rewriting the stored index fails; the last flag marks the end of the stream, so
    /// a stream cut at a chunk boundary cannot pass a final chunk off as a middle one or the reverse.
    /// </summary>
    public static byte[] ChunkAssociatedData(ReadOnlySpan<byte> header, long index, bool last)
    {
        var aad = new byte[header.Length + 9];
        header.CopyTo(aad);
        BinaryPrimitives.WriteUInt64LittleEndian(aad.AsSpan(header.Length), (ulong)index);
        aad[^1] = last ? (byte)1 : (byte)0;
        return aad;
    }
}
