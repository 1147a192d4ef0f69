namespace AsymML.Sealing;

/// <summary>Which check refused a sealed data set, sealed blob or key file (see <see cref="SealedDataException.Check"/>).</summary>
public enum SealCheck
{
    /// <summary>The bytes do not start with the expected magic ("ASYMDATA" for a data set, "ASYMBLOB" for a blob).</summary>
    NotSealedData,

    /// <summary>The format version (of a data set, blob or key file) is not one this build reads.</summary>
    UnsupportedVersion,

    /// <summary>A length or field is out of range or inconsistent with the header (framing broken).</summary>
    Malformed,

    /// <summary>A key file is not one, has the wrong size, or fails its checksum.</summary>
    InvalidKeyFile,

    /// <summary>The data was sealed for another key (its key id differs from the key at hand).</summary>
    WrongKey,

    /// <summary>The header's MAC does not match: shape, count, chunk size, class names or data-set id were altered.</summary>
    HeaderAltered,

    /// <summary>A chunk record carries another index than the one asked for (reordered, dropped or replayed).</summary>
    OutOfOrder,

    /// <summary>The bytes end early, or fewer chunks were delivered than the header declares.</summary>
    Truncated,

    /// <summary>Bytes follow the last chunk record (or the end of a blob).</summary>
    TrailingData,

    /// <summary>AES-GCM authentication failed: ciphertext, nonce or tag altered, a chunk spliced in from another data
    /// set sealed with the same key, or (for a blob) a different purpose. These cannot be told apart by design.</summary>
    Tampered,
}
