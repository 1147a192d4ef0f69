using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace AsymML.Data;

/// <summary>
/// How a batch is made from a held data set — gather, normalise, augment — in one place, so the enclave
/// (AsymML, TEE-only) and the untrusted-only baseline make identical batches from the same indices and sequence
/// number. The caller decides where the images live and who may see them.
/// </summary>
public static class ImageBatches
{
    /// <summary>The augmentation secret: derived from <paramref name="seed"/> when one is given (reproducible runs,
    /// the host knows it), else 32 random bytes.</summary>
    public static byte[] AugmentationSecret(long? seed) => seed is long s
        ? SHA256.HashData(Encoding.UTF8.GetBytes("asymml augmentation " + s.ToString(CultureInfo.InvariantCulture)))
        : RandomNumberGenerator.GetBytes(32);

    /// <summary>The generator seed of batch <paramref name="sequence"/>: HMAC-SHA256 of the sequence number under the
    /// secret, so whoever lacks the secret cannot predict or steer the randomness, and a resumed run repeats it.</summary>
    public static ulong AugmentationSeed(ReadOnlySpan<byte> secret, long sequence)
    {
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(message, sequence);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, message, mac);
        return BinaryPrimitives.ReadUInt64LittleEndian(mac) >> 1; // a non-negative 63-bit seed
    }

    /// <summary>
    /// Samples <paramref name="indices"/> of <paramref name="set"/>: normalised float32 [B, C, H, W] (augmented with
    /// <paramref name="augmentation"/> seeded by <paramref name="augmentationSeed"/> when both are given) and int64
    /// labels [B].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index outside the set, or no index.</exception>
    public static (Tensor Input, Tensor Labels) Make(LabeledImages set, ReadOnlySpan<long> indices, Normalization normalization,
        Augmentation? augmentation = null, ulong? augmentationSeed = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(normalization);
        if (indices.Length == 0)
            throw new ArgumentOutOfRangeException(nameof(indices), "A batch needs at least one sample.");
        int per = set.PixelsPerImage;
        var pixels = new byte[indices.Length * per];
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            long index = indices[i];
            if (index < 0 || index >= set.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Sample {index} is outside the set of {set.Count}.");
            set.GetImage((int)index).CopyTo(pixels.AsSpan(i * per));
            labels[i] = set.Labels[index];
        }
        using var scope = NewDisposeScope();
        var batch = new LabeledImages(pixels, new byte[indices.Length], indices.Length, set.Channels, set.Rows, set.Cols);
        Tensor input = normalization.Apply(batch.ToTensor());
        if (augmentation is not null && augmentationSeed is ulong seed)
        {
            using var generator = new Generator(seed);
            input = augmentation.Apply(input, generator);
        }
        return (input.MoveToOuterDisposeScope(), tensor(labels).MoveToOuterDisposeScope());
    }
}
