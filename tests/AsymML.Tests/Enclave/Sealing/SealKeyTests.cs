using System.Reflection;
using AsymML.Sealing;
using AsymML.Enclave.Sealing;

namespace AsymML.Tests.Sealing;

public sealed class SealKeyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // Known answers computed independently (Python hmac/hashlib) for the key 00 01 … 1f; they pin the format.
    private const string KnownKeyId = "9fc998d9d9f049fa";
    private const string KnownKeyFile = "4153594d4b45593101000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f226484afbc6592d7";

    [Fact]
    public void KeyIdAndKeyFile_MatchKnownAnswers()
    {
        using SealKey key = SealingTestData.Key();
        string path = _dir.File("owner.key");

        key.Save(path);

        Assert.Equal(KnownKeyId, key.KeyId);
        Assert.Equal(KnownKeyFile, Convert.ToHexStringLower(File.ReadAllBytes(path)));
        Assert.Equal(52, SealKey.FileBytes);
    }

    [Fact]
    public void Generate_GivesDistinctKeysWith16HexDigitIds()
    {
        using SealKey a = SealKey.Generate(), b = SealKey.Generate();

        Assert.Matches("^[0-9a-f]{16}$", a.KeyId);
        Assert.NotEqual(a.KeyId, b.KeyId);
    }

    [Fact]
    public void Subkeys_AreDistinctFromEachOtherAndFromTheRawKey()
    {
        using SealKey key = SealingTestData.Key();
        byte[] raw = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        string[] labels = [SealKey.ChunkEncryptionLabel, SealKey.HeaderMacLabel, SealKey.BlobEncryptionLabel, SealKey.KeyIdLabel];

        byte[][] subkeys = labels.Select(key.DeriveSubkey).ToArray();

        Assert.All(subkeys, s => Assert.Equal(32, s.Length));
        Assert.All(subkeys, s => Assert.NotEqual(raw, s));
        Assert.Equal(4, subkeys.Select(Convert.ToHexString).Distinct().Count());
        Assert.Equal(KnownKeyId, Convert.ToHexStringLower(subkeys[3][..8]));
    }

    [Fact]
    public void SaveThenLoad_GivesTheSameKey()
    {
        using SealKey key = SealKey.Generate();
        string path = _dir.File("owner.key");
        key.Save(path);

        using SealKey loaded = SealKey.Load(path);

        Assert.Equal(key.KeyId, loaded.KeyId);
        Assert.Equal(key.DeriveSubkey(SealKey.ChunkEncryptionLabel), loaded.DeriveSubkey(SealKey.ChunkEncryptionLabel));
        Assert.Single(Directory.GetFiles(_dir.Path)); // no temporary file left behind
    }

    [Fact]
    public void Save_CreatesMode0600()
    {
        if (OperatingSystem.IsWindows()) return; // Unix permissions only
        using SealKey key = SealKey.Generate();
        string path = _dir.File("owner.key");

        key.Save(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Save_RefusesToOverwriteUnlessAsked()
    {
        using SealKey first = SealKey.Generate(), second = SealKey.Generate();
        string path = _dir.File("owner.key");
        first.Save(path);
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<IOException>(() => second.Save(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("overwrite", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));

        second.Save(path, overwrite: true);
        using SealKey loaded = SealKey.Load(path);
        Assert.Equal(second.KeyId, loaded.KeyId);
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        string path = _dir.File("absent.key");

        var e = Assert.Throws<FileNotFoundException>(() => SealKey.Load(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Theory]
    [InlineData(0, "wrong size")]
    [InlineData(5, "wrong size")]
    [InlineData(12, "wrong size")]
    [InlineData(51, "wrong size")]
    [InlineData(53, "wrong size")]
    public void Load_WrongSize_IsRefused(int length, string expected)
    {
        string path = _dir.File("owner.key");
        byte[] good = Convert.FromHexString(KnownKeyFile);
        File.WriteAllBytes(path, length <= good.Length ? good[..length] : [.. good, 0]);

        var e = Assert.Throws<SealedDataException>(() => SealKey.Load(path));

        Assert.Equal(SealCheck.InvalidKeyFile, e.Check);
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path + ":", e.Message);
    }

    [Theory]
    [InlineData(12)] // a key byte
    [InlineData(43)] // the last key byte
    [InlineData(44)] // a checksum byte
    public void Load_CorruptedByte_IsAChecksumMismatch(int offset)
    {
        string path = _dir.File("owner.key");
        byte[] bytes = Convert.FromHexString(KnownKeyFile);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<SealedDataException>(() => SealKey.Load(path));

        Assert.Equal(SealCheck.InvalidKeyFile, e.Check);
        Assert.Contains("checksum mismatch", e.Message);
    }

    [Fact]
    public void Load_OtherFileOrVersion_IsRefused()
    {
        string path = _dir.File("owner.key");
        File.WriteAllBytes(path, "ASYMDATA not a key file, just 52 bytes of text here."u8.ToArray());
        var notKey = Assert.Throws<SealedDataException>(() => SealKey.Load(path));
        Assert.Equal(SealCheck.InvalidKeyFile, notKey.Check);
        Assert.Contains("not an AsymML key file", notKey.Message);

        byte[] v2 = Convert.FromHexString(KnownKeyFile);
        v2[8] = 2;
        File.WriteAllBytes(path, v2);
        var version = Assert.Throws<SealedDataException>(() => SealKey.Load(path));
        Assert.Equal(SealCheck.UnsupportedVersion, version.Check);
        Assert.Contains("version 2", version.Message);
    }

    [Fact]
    public void FromBytes_RejectsWrongLength()
    {
        Assert.Throws<ArgumentException>(() => SealKey.FromBytes(new byte[31]));
        Assert.Throws<ArgumentException>(() => SealKey.FromBytes(new byte[33]));
    }

    [Fact]
    public void Dispose_ZeroesTheKeyAndForbidsUse()
    {
        SealKey key = SealingTestData.Key(first: 1);
        var field = typeof(SealKey).GetField("_key", BindingFlags.NonPublic | BindingFlags.Instance)!;
        byte[] raw = (byte[])field.GetValue(key)!;
        Assert.Equal(32, raw.Count(b => b != 0));

        key.Dispose();

        Assert.Equal(0, raw.Count(b => b != 0));
        Assert.Throws<ObjectDisposedException>(() => key.KeyId);
        Assert.Throws<ObjectDisposedException>(() => key.Save(_dir.File("k")));
    }
}
