using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

using AsymML.Sealing;

namespace AsymML.Enclave.Sealing;

/// <summary>
/// Seals a small result (e.g. a predictions CSV) to the data owner's key, so that the enclave can hand it to the
/// untrusted host for storage without the host reading it. Layout (little-endian): "ASYMBLOB" ‖ u16 version = 1 ‖
/// key id (8) ‖ nonce (12) ‖ u32 plaintext length ‖ ciphertext ‖ GCM tag (16). The associated data is the 34-byte
/// prefix ‖ UTF-8 purpose, so a blob sealed for one purpose does not open for another. Uses its own subkey,
/// independent of the data-set keys.
/// </summary>
public static class SealedBlob
{
    /// <summary>Bytes added to the plaintext: 34-byte prefix + 16-byte tag.</summary>
    public const int OverheadBytes = PrefixBytes + TagBytes;

    private const ushort Version = 1;
    private const int PrefixBytes = 8 + 2 + SealedFormat.KeyIdBytes + NonceBytes + 4;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static ReadOnlySpan<byte> Magic => "ASYMBLOB"u8;

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/> (enclave or data-owner side).</summary>
    /// <param name="plaintext">Bytes to seal, any length up to 2 GiB minus the overhead.</param>
    /// <param name="key">The data owner's key.</param>
    /// <param name="purpose">What the bytes are (e.g. "predictions/test"); non-empty. Needed again to open.</param>
    /// <returns>The sealed bytes, <see cref="OverheadBytes"/> longer than the plaintext.</returns>
    public static byte[] Seal(ReadOnlySpan<byte> plaintext, SealKey key, string purpose)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintext.Length, Array.MaxLength - OverheadBytes, nameof(plaintext));
        var sealedBytes = new byte[OverheadBytes + plaintext.Length];
        Span<byte> s = sealedBytes;
        Magic.CopyTo(s);
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], Version);
        key.KeyIdSpan.CopyTo(s[10..]);
        RandomNumberGenerator.Fill(s.Slice(18, NonceBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(s[30..], (uint)plaintext.Length);
        byte[] subkey = key.DeriveSubkey(SealKey.BlobEncryptionLabel);
        try
        {
            using var aes = new AesGcm(subkey, TagBytes);
            aes.Encrypt(s.Slice(18, NonceBytes), plaintext, s.Slice(PrefixBytes, plaintext.Length), s[^TagBytes..],
                AssociatedData(s[..PrefixBytes], purpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }
        return sealedBytes;
    }

    /// <summary>Checks and decrypts a blob made by <see cref="Seal"/> (data-owner or enclave side).</summary>
    /// <param name="sealedBytes">The sealed bytes, as received from the untrusted host.</param>
    /// <param name="key">The data owner's key.</param>
    /// <param name="purpose">The purpose given when sealing.</param>
    /// <param name="source">File name for error messages, or null.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="SealedDataException"><see cref="SealCheck.NotSealedData"/>, <see cref="SealCheck.UnsupportedVersion"/>,
    /// <see cref="SealCheck.WrongKey"/>, <see cref="SealCheck.Truncated"/>, <see cref="SealCheck.TrailingData"/> or
    /// <see cref="SealCheck.Tampered"/> (altered, or another purpose).</exception>
    public static byte[] Open(ReadOnlySpan<byte> sealedBytes, SealKey key, string purpose, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        int magicBytes = Math.Min(sealedBytes.Length, Magic.Length);
        if (!sealedBytes[..magicBytes].SequenceEqual(Magic[..magicBytes]))
            throw new SealedDataException(SealCheck.NotSealedData, source, "not a sealed blob (it does not start with \"ASYMBLOB\")");
        if (sealedBytes.Length < OverheadBytes)
            throw new SealedDataException(SealCheck.Truncated, source, $"the blob is {sealedBytes.Length} bytes, shorter than the {OverheadBytes}-byte minimum");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(sealedBytes[8..]);
        if (version != Version)
            throw new SealedDataException(SealCheck.UnsupportedVersion, source, $"sealed blob version {version}; this build reads version {Version}");
        ReadOnlySpan<byte> keyId = sealedBytes.Slice(10, SealedFormat.KeyIdBytes);
        if (!keyId.SequenceEqual(key.KeyIdSpan))
            throw new SealedDataException(SealCheck.WrongKey, source, $"sealed with key {Convert.ToHexStringLower(keyId)}, but this key is {key.KeyId}");
        long declared = BinaryPrimitives.ReadUInt32LittleEndian(sealedBytes[30..]);
        long actual = sealedBytes.Length - OverheadBytes;
        if (declared > actual)
            throw new SealedDataException(SealCheck.Truncated, source, $"the blob declares {declared} bytes of ciphertext but holds {actual}");
        if (declared < actual)
            throw new SealedDataException(SealCheck.TrailingData, source, $"the blob declares {declared} bytes of ciphertext but {actual - declared} more bytes follow");

        var plaintext = new byte[declared];
        byte[] subkey = key.DeriveSubkey(SealKey.BlobEncryptionLabel);
        try
        {
            using var aes = new AesGcm(subkey, TagBytes);
            aes.Decrypt(sealedBytes.Slice(18, NonceBytes), sealedBytes.Slice(PrefixBytes, (int)declared), sealedBytes[^TagBytes..], plaintext,
                AssociatedData(sealedBytes[..PrefixBytes], purpose));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new SealedDataException(SealCheck.Tampered, source, $"the blob failed authentication: it was altered, or sealed for another purpose than \"{purpose}\"", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> prefix, string purpose)
    {
        var aad = new byte[prefix.Length + Encoding.UTF8.GetByteCount(purpose)];
        prefix.CopyTo(aad);
        Encoding.UTF8.GetBytes(purpose, aad.AsSpan(prefix.Length));
        return aad;
    }
}
