using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

using AsymML.Sealing;

namespace AsymML.Enclave.Sealing;

/// <summary>
/// The data owner's 256-bit sealing key. Only the data owner and the enclave may hold it; the untrusted host never
/// does. The raw key is never used directly: each purpose gets its own subkey, HMAC-SHA256(key, label), so that
/// for example the header MAC key and the chunk encryption key are independent. <see cref="Dispose"/> zeroes the
/// key bytes.
/// </summary>
/// <remarks>
/// Key file (52 bytes): "ASYMKEY1" (8) ‖ u32 LE version = 1 ‖ key (32) ‖ first 8 bytes of SHA-256 of the preceding
/// 44 bytes. The checksum catches corruption, not attackers: a key file must be protected by file permissions
/// (0600, see <see cref="Save"/>), and in a real TEE by provisioning after remote attestation.
/// </remarks>
public sealed class SealKey : IDisposable
{
    /// <summary>Key length in bytes (AES-256).</summary>
    public const int KeyBytes = 32;

    /// <summary>Length in bytes of the key id stored in sealed headers.</summary>
    public const int KeyIdBytes = SealedFormat.KeyIdBytes;

    /// <summary>Length in bytes of a key file.</summary>
    public const int FileBytes = 8 + 4 + KeyBytes + ChecksumBytes;

    private const int ChecksumBytes = 8;
    private const uint FileVersion = 1;
    private static ReadOnlySpan<byte> FileMagic => "ASYMKEY1"u8;

    private readonly byte[] _key;
    private readonly byte[] _keyId;
    private bool _disposed;

    private SealKey(byte[] key)
    {
        _key = key;
        byte[] id = DeriveSubkey(KeyIdLabel);
        _keyId = id[..KeyIdBytes];
        CryptographicOperations.ZeroMemory(id);
    }

    // Subkey labels. Changing any of them changes the format (it is version 1 of each).
    internal const string KeyIdLabel = "asymml key id";
    internal const string ChunkEncryptionLabel = "asymml v1 chunk encryption";
    internal const string HeaderMacLabel = "asymml v1 header mac";
    internal const string BlobEncryptionLabel = "asymml v1 sealed blob";
    internal const string CheckpointMacLabel = "asymml v1 checkpoint mac";

    /// <summary>A new key from the operating system's cryptographic random generator.</summary>
    public static SealKey Generate() => new(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>A key from raw bytes (copied), e.g. as provisioned to an enclave after attestation.</summary>
    /// <param name="keyBytes">Exactly <see cref="KeyBytes"/> bytes.</param>
    /// <exception cref="ArgumentException">The length is not 32 bytes.</exception>
    public static SealKey FromBytes(ReadOnlySpan<byte> keyBytes)
    {
        if (keyBytes.Length != KeyBytes)
            throw new ArgumentException($"A seal key is {KeyBytes} bytes, not {keyBytes.Length}.", nameof(keyBytes));
        return new SealKey(keyBytes.ToArray());
    }

    /// <summary>
    /// Public identifier of the key: the first 8 bytes of HMAC-SHA256(key, "asymml key id") as 16 lowercase hex
    /// digits. Stored in sealed headers so that a wrong key is reported as such rather than as tampering. It reveals
    /// nothing useful about the key (a PRF output), only whether two files were sealed with the same key.
    /// </summary>
    public string KeyId
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Convert.ToHexStringLower(_keyId);
        }
    }

    internal ReadOnlySpan<byte> KeyIdSpan
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _keyId;
        }
    }

    /// <summary>HKDF-SHA256 (RFC 5869) of the key with <paramref name="label"/> as its info: a 32-byte subkey for one
    /// purpose (the checkpoint MAC key). The caller zeroes it after use.</summary>
    internal byte[] DeriveHkdfSubkey(string label)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, KeyBytes, salt: null, info: Encoding.UTF8.GetBytes(label));
    }

    /// <summary>HMAC-SHA256(key, label): a 32-byte subkey for one purpose. The caller zeroes it after use.</summary>
    internal byte[] DeriveSubkey(string label)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(label));
    }

    /// <summary>
    /// Writes the key file (52 bytes) atomically: to a temporary file created with mode 0600 on Unix (owner read and
    /// write only, set at creation so the key is never readable by others, even briefly), then renamed.
    /// </summary>
    /// <param name="path">Key file path; its folder must exist.</param>
    /// <param name="overwrite">Replace an existing file. Off by default: losing a key makes everything sealed with it unreadable.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or writing failed.</exception>
    public void Save(string path, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
            throw ExistsError(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot write key file {path}: the folder {directory} does not exist.");

        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        byte[] content = new byte[FileBytes];
        try
        {
            FileMagic.CopyTo(content);
            BinaryPrimitives.WriteUInt32LittleEndian(content.AsSpan(8), FileVersion);
            _key.CopyTo(content, 12);
            Checksum(content.AsSpan(0, FileBytes - ChecksumBytes)).CopyTo(content.AsSpan(FileBytes - ChecksumBytes));

            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            // The umask can only remove bits from the create mode; set it explicitly so the result is exactly 0600.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(temp, full, overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(full))
            {
                throw ExistsError(path); // created by someone else since the check above
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static IOException ExistsError(string path) =>
        new($"Key file {path} already exists; refusing to overwrite it (data sealed with the old key would become unreadable). Pass overwrite: true to replace it.");

    /// <summary>Reads a key file written by <see cref="Save"/>.</summary>
    /// <param name="path">Key file path.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SealedDataException">Not a key file, unsupported version, wrong size or checksum mismatch
    /// (<see cref="SealCheck.InvalidKeyFile"/> or <see cref="SealCheck.UnsupportedVersion"/>).</exception>
    public static SealKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Key file {path} does not exist. Create one with SealKey.Generate().Save(path), or point to the data owner's key file.", path);

        // Read one byte more than a key file holds, to tell "too long" from "exactly right" without reading a huge file.
        byte[] content = new byte[FileBytes + 1];
        try
        {
            int length;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                length = stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
            Span<byte> bytes = content.AsSpan(0, length);
            if (length < FileMagic.Length ? !FileMagic.StartsWith(bytes) : !bytes.StartsWith(FileMagic))
                throw new SealedDataException(SealCheck.InvalidKeyFile, path, "not an AsymML key file (it does not start with \"ASYMKEY1\")");
            if (length >= 12 && BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]) is uint version && version != FileVersion)
                throw new SealedDataException(SealCheck.UnsupportedVersion, path, $"key file version {version}; this build reads version {FileVersion}");
            if (length != FileBytes)
                throw new SealedDataException(SealCheck.InvalidKeyFile, path,
                    $"wrong size: a key file is exactly {FileBytes} bytes, this one is {(length > FileBytes ? "longer" : length + " bytes")} (truncated or appended to)");
            if (!CryptographicOperations.FixedTimeEquals(Checksum(bytes[..^ChecksumBytes]), bytes[^ChecksumBytes..]))
                throw new SealedDataException(SealCheck.InvalidKeyFile, path, "checksum mismatch: the key file is corrupted");
            return FromBytes(bytes.Slice(12, KeyBytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    private static byte[] Checksum(ReadOnlySpan<byte> bytes) => SHA256.HashData(bytes)[..ChecksumBytes];

    /// <summary>Zeroes the key bytes; the key cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_key);
        _disposed = true;
    }
}
