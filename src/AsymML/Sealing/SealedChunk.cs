namespace AsymML.Sealing;

/// <summary>
/// One chunk record as the host holds it: ciphertext only. The host hands <see cref="Record"/> to the enclave,
/// which checks everything again; nothing here is trusted.
/// </summary>
public sealed class SealedChunk
{
    internal SealedChunk(long index, long position, long offset, byte[] record)
    {
        Index = index;
        Position = position;
        Offset = offset;
        Record = record;
    }

    /// <summary>The chunk index as stored in the record (unauthenticated until the enclave opens it).</summary>
    public long Index { get; }

    /// <summary>Position of the record in the file, 0-based (equals <see cref="Index"/> in an intact file).</summary>
    public long Position { get; }

    /// <summary>Byte offset of the record in the file.</summary>
    public long Offset { get; }

    /// <summary>The whole record: u64 index ‖ nonce (12) ‖ u32 ciphertext length ‖ ciphertext ‖ tag (16).</summary>
    public ReadOnlyMemory<byte> Record { get; }
}
