using System.Text;
using AsymML.Sealing;
using AsymML.Enclave.Sealing;

namespace AsymML.Tests.Sealing;

public sealed class SealedBlobTests
{
    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("index,prediction\n0,7\n1,2\n2,1\n");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void SealThenOpen_RoundTrips(int length)
    {
        using SealKey key = SealingTestData.Key();
        byte[] plaintext = Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();

        byte[] sealedBytes = SealedBlob.Seal(plaintext, key, "predictions/test");

        Assert.Equal(length + 50, sealedBytes.Length);
        Assert.Equal(plaintext, SealedBlob.Open(sealedBytes, key, "predictions/test"));
    }

    [Fact]
    public void Seal_IsRandomised_AndHidesThePlaintext()
    {
        using SealKey key = SealingTestData.Key();

        byte[] a = SealedBlob.Seal(Csv, key, "p"), b = SealedBlob.Seal(Csv, key, "p");

        Assert.NotEqual(a, b);
        Assert.Equal("ASYMBLOB", Encoding.ASCII.GetString(a, 0, 8));
        Assert.Equal(-1, a.AsSpan().IndexOf("prediction"u8));
    }

    [Fact]
    public void Open_WrongPurpose_FailsAuthentication()
    {
        using SealKey key = SealingTestData.Key();
        byte[] sealedBytes = SealedBlob.Seal(Csv, key, "predictions/test");

        var e = Assert.Throws<SealedDataException>(() => SealedBlob.Open(sealedBytes, key, "predictions/train", "out.csv.sealed"));

        Assert.Equal(SealCheck.Tampered, e.Check);
        Assert.Equal("out.csv.sealed: the blob failed authentication: it was altered, or sealed for another purpose than \"predictions/train\" [Tampered]", e.Message);
    }

    [Fact]
    public void Open_WrongKey_IsWrongKey()
    {
        using SealKey key = SealingTestData.Key(), other = SealingTestData.Key(first: 50);
        byte[] sealedBytes = SealedBlob.Seal(Csv, key, "p");

        var e = Assert.Throws<SealedDataException>(() => SealedBlob.Open(sealedBytes, other, "p"));

        Assert.Equal(SealCheck.WrongKey, e.Check);
        Assert.Contains(key.KeyId, e.Message);
        Assert.Contains(other.KeyId, e.Message);
    }

    [Fact]
    public void EveryFlippedByte_IsRefusedByItsRegionsCheck()
    {
        using SealKey key = SealingTestData.Key();
        byte[] sealedBytes = SealedBlob.Seal(Csv, key, "p");

        for (int i = 0; i < sealedBytes.Length; i++)
        {
            byte[] damaged = (byte[])sealedBytes.Clone();
            damaged[i] ^= 0x01;

            SealCheck expected = i switch
            {
                < 8 => SealCheck.NotSealedData,
                < 10 => SealCheck.UnsupportedVersion,
                < 18 => SealCheck.WrongKey,
                30 => SealCheck.TrailingData, // length 29 → 28 (bit 0 of the low byte is set)
                > 30 and < 34 => SealCheck.Truncated, // length grows past the bytes present
                _ => SealCheck.Tampered, // nonce, ciphertext, tag
            };
            var e = Assert.Throws<SealedDataException>(() => SealedBlob.Open(damaged, key, "p"));
            Assert.True(expected == e.Check, $"byte {i}: expected {expected}, got {e.Message}");
        }
    }

    [Fact]
    public void Open_CutOrExtendedOrForeign_IsRefused()
    {
        using SealKey key = SealingTestData.Key();
        byte[] sealedBytes = SealedBlob.Seal(Csv, key, "p");

        Assert.Equal(SealCheck.Truncated, Assert.Throws<SealedDataException>(() => SealedBlob.Open(sealedBytes[..^1], key, "p")).Check);
        Assert.Equal(SealCheck.Truncated, Assert.Throws<SealedDataException>(() => SealedBlob.Open(sealedBytes[..20], key, "p")).Check);
        Assert.Equal(SealCheck.TrailingData, Assert.Throws<SealedDataException>(() => SealedBlob.Open([.. sealedBytes, 0], key, "p")).Check);
        Assert.Equal(SealCheck.NotSealedData, Assert.Throws<SealedDataException>(() => SealedBlob.Open("ASYMDATA..."u8, key, "p")).Check);
    }
}
