namespace AsymML.Boundary.Messages;

/// <summary>Which piece of a sealed data set a <see cref="ProvisionSealed"/> message carries.</summary>
public enum SealedPart : byte
{
    /// <summary>The header bytes exactly as stored (the enclave checks their MAC).</summary>
    Header = 1,

    /// <summary>One chunk record (index, nonce, ciphertext, tag) exactly as stored.</summary>
    Chunk = 2,

    /// <summary>No more chunks: the enclave checks that none is missing.</summary>
    End = 3,
}
