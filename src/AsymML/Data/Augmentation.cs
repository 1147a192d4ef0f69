using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Data;

/// <summary>
/// Training-time augmentation of a float image batch: a random crop after zero padding (each image is shifted by
/// dy, dx ∈ [−p, p], uncovered pixels become 0) and a random horizontal flip with probability 0.5, the usual CIFAR
/// recipe ("pad 4, crop 32, flip"). Immutable; <see cref="None"/> leaves images as they are.
/// <para>
/// Trust: this runs inside the enclave on private images. The <see cref="Generator"/> passed to <see cref="Apply"/>
/// must be created and seeded inside the enclave from its own entropy, never from a seed chosen or seen by the host:
/// a host that knows the seed knows every crop and flip, and a host that picks it picks them.
/// </para>
/// </summary>
public sealed record Augmentation
{
    /// <summary>No augmentation: <see cref="Apply"/> returns a copy.</summary>
    public static Augmentation None { get; } = new();

    /// <summary>The standard CIFAR augmentation: padding 4 and horizontal flips.</summary>
    public static Augmentation Cifar { get; } = new(cropPadding: 4, horizontalFlip: true);

    /// <summary>Creates the options.</summary>
    /// <param name="cropPadding">Zero padding p in pixels on every side before the random crop back to the input size; 0 (default) disables cropping.</param>
    /// <param name="horizontalFlip">Whether each image is mirrored left-right with probability 0.5 (default false).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cropPadding"/> is negative.</exception>
    public Augmentation(int cropPadding = 0, bool horizontalFlip = false)
    {
        CropPadding = cropPadding;
        HorizontalFlip = horizontalFlip;
    }

    /// <summary>Zero padding p in pixels added on each side before cropping back to H x W; 0 = no crop. Must be ≥ 0.</summary>
    public int CropPadding
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(CropPadding));
            field = value;
        }
    }

    /// <summary>Whether each image is mirrored left-right (along W) with probability 0.5.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Whether <see cref="Apply"/> changes nothing (no crop, no flip).</summary>
    public bool IsIdentity => CropPadding == 0 && !HorizontalFlip;

    /// <summary>
    /// Returns a new augmented batch; <paramref name="batch"/> is not modified. Random draws, in this order, all from
    /// <paramref name="generator"/>: B crop offsets (dy, dx) uniform in [0, 2p]² (as int64, when p &gt; 0), then B uniform
    /// numbers in [0, 1) deciding the flips (flip when &lt; 0.5, when enabled). The same generator state therefore gives
    /// the same batch. Vectorised: crop and flip are one gather with a per-sample index (no per-sample loop);
    /// temporaries are disposed.
    /// </summary>
    /// <param name="batch">Floating-point tensor [B, C, H, W] on the CPU, typically values pixel / 255 before normalisation
    /// (so the padding is black, as in torchvision's RandomCrop on images).</param>
    /// <param name="generator">Enclave-owned random generator (see the type's remarks); advanced by the draws.</param>
    /// <returns>A tensor [B, C, H, W] of the same dtype, owned by the caller (or the caller's dispose scope).</returns>
    /// <exception cref="ArgumentException">The batch is not a 4-D floating-point tensor.</exception>
    public Tensor Apply(Tensor batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(generator);
        if (batch.dim() != 4 || !batch.is_floating_point())
            throw new ArgumentException($"Augmentation expects a floating-point batch [B, C, H, W]; got {batch.dtype} [{string.Join(", ", batch.shape)}].", nameof(batch));

        if (IsIdentity || batch.shape[0] == 0)
            return batch.clone();

        using var scope = torch.NewDisposeScope();
        long b = batch.shape[0], c = batch.shape[1], h = batch.shape[2], w = batch.shape[3];
        int p = CropPadding;
        long paddedWidth = w + 2 * p;
        // Crop then mirror is one gather: out[b, c, i, j] = padded[b, c, dy + i, dx + (flip ? W − 1 − j : j)], so the
        // flat source index depends only on (b, i, j) and is broadcast over channels. One pass over the batch (plus the
        // padding copy) instead of crop, flip and select passes, which matters when the two cores are shared.
        Tensor rows = torch.arange(h, ScalarType.Int64).unsqueeze(0);   // [1, H]
        Tensor cols = torch.arange(w, ScalarType.Int64).unsqueeze(0);   // [1, W]
        if (p > 0)
        {
            Tensor offsets = torch.randint(0, 2 * p + 1, [b, 2], ScalarType.Int64, generator: generator);
            rows = rows + offsets[.., 0..1];                             // [B, H]
            cols = cols + offsets[.., 1..2];                             // [B, W]
        }
        if (HorizontalFlip)
        {
            Tensor flip = torch.rand([b], generator: generator).lt(0.5).unsqueeze(1);  // [B, 1]
            Tensor mirrored = cols.flip(1);                              // column W − 1 − j of the window
            cols = torch.where(flip, mirrored, cols);
        }
        Tensor index = (rows.unsqueeze(2) * paddedWidth + cols.unsqueeze(1)) // [B, H, W]
            .expand(b, h, w).reshape(b, 1, h * w).expand(b, c, h * w).to(batch.device);
        Tensor source = p > 0 ? nn.functional.pad(batch, [p, p, p, p]) : batch;
        Tensor x = source.reshape(b, c, -1).gather(2, index).view(b, c, h, w);
        return x.MoveToOuterDisposeScope();
    }
}
