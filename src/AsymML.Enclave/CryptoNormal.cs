using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AsymML.Enclave;

/// <summary>
/// Standard normal samples from a cryptographic generator, for the residual mechanism: AES-256 in counter mode (the
/// keystream of a fresh random key, as NIST SP 800-90A's CTR_DRBG without reseeding) gives uniform bits, and the
/// Box–Muller transform turns pairs of uniforms into normals (u1 from 53 bits in (0, 1], u2 from 32 bits). The key
/// comes from the operating system's CSPRNG; a seed (tests only) derives it by SHA-256 instead, so tests are
/// reproducible. Because u1 ≥ 2⁻⁵³ the samples are bounded by √(2·53·ln 2) ≈ 8.6 standard deviations: the truncated
/// mass (≈ 1e-17 per sample) is far below any δ used. Not thread-safe.
/// </summary>
internal sealed class CryptoNormal : IDisposable
{
    private const int BlockBytes = 16;
    private readonly Aes _aes;
    private readonly byte[] _counter = new byte[4096 * BlockBytes];
    private readonly byte[] _stream = new byte[4096 * BlockBytes];
    private ulong _next;

    /// <summary>A generator keyed from the OS CSPRNG, or from <paramref name="seed"/> (tests only).</summary>
    public CryptoNormal(long? seed = null)
    {
        byte[] key = seed is long s ? SHA256.HashData(BitConverter.GetBytes(s)) : RandomNumberGenerator.GetBytes(32);
        _aes = Aes.Create();
        _aes.Key = key;
        CryptographicOperations.ZeroMemory(key);
    }

    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) samples times <paramref name="scale"/>.</summary>
    public void Fill(Span<float> destination, double scale)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int pairs = Math.Min((destination.Length - done + 1) / 2, _stream.Length / 12);
            Keystream(pairs * 12);
            for (int p = 0; p < pairs; p++)
            {
                ReadOnlySpan<byte> bits = _stream.AsSpan(p * 12, 12);
                ulong a = BinaryPrimitives.ReadUInt64LittleEndian(bits) >> 11;                 // 53 bits
                uint b = BinaryPrimitives.ReadUInt32LittleEndian(bits[8..]);
                double u1 = (a + 1) * (1.0 / (1UL << 53));                                      // (0, 1]
                double u2 = b * (1.0 / 4294967296.0);                                            // [0, 1)
                double radius = Math.Sqrt(-2 * Math.Log(u1)) * scale, angle = 2 * Math.PI * u2;
                destination[done++] = (float)(radius * Math.Cos(angle));
                if (done < destination.Length) destination[done++] = (float)(radius * Math.Sin(angle));
            }
        }
    }

    private void Keystream(int bytes)
    {
        int blocks = (bytes + BlockBytes - 1) / BlockBytes;
        for (int i = 0; i < blocks; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_counter.AsSpan(i * BlockBytes), _next++);
            BinaryPrimitives.WriteUInt64LittleEndian(_counter.AsSpan(i * BlockBytes + 8), 0);
        }
        _aes.EncryptEcb(_counter.AsSpan(0, blocks * BlockBytes), _stream.AsSpan(0, blocks * BlockBytes), PaddingMode.None);
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();
}
