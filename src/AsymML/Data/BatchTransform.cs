using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Data;

/// <summary>
/// What happens to a float batch between the data set and the model, in the enclave: for training, augmentation
/// then normalisation; for evaluation, normalisation only (no randomness, so predictions are reproducible).
/// Augmenting before normalising keeps the crop padding at pixel value 0 (black), as torchvision's
/// RandomCrop-then-Normalize pipeline does. Immutable and holds no native memory.
/// </summary>
public sealed class BatchTransform
{
    /// <summary>Creates the transform.</summary>
    /// <param name="augmentation">Training augmentation; <see cref="Augmentation.None"/> for none.</param>
    /// <param name="normalization">Per-channel normalisation; <see langword="null"/> leaves values as pixel / 255.</param>
    public BatchTransform(Augmentation augmentation, Normalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(augmentation);
        Augmentation = augmentation;
        Normalization = normalization;
    }

    /// <summary>Training augmentation (applied by <see cref="Train"/> only).</summary>
    public Augmentation Augmentation { get; }

    /// <summary>Normalisation applied in both modes, or <see langword="null"/> for none.</summary>
    public Normalization? Normalization { get; }

    /// <summary>Training mode: augment with <paramref name="generator"/>, then normalise. <paramref name="batch"/> is not modified.</summary>
    /// <param name="batch">Floating-point tensor [B, C, H, W], values pixel / 255.</param>
    /// <param name="generator">Enclave-owned generator (see <see cref="Data.Augmentation"/>); advanced by the draws.</param>
    /// <returns>A new tensor [B, C, H, W] owned by the caller.</returns>
    public Tensor Train(Tensor batch, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        Tensor augmented = Augmentation.Apply(batch, generator);
        Tensor result = Normalization is null ? augmented : Normalization.Apply(augmented);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Evaluation mode: normalisation only (a copy when there is none). <paramref name="batch"/> is not modified.</summary>
    /// <param name="batch">Floating-point tensor [B, C, H, W], values pixel / 255.</param>
    /// <returns>A new tensor [B, C, H, W] owned by the caller.</returns>
    public Tensor Eval(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Normalization is null ? batch.clone() : Normalization.Apply(batch);
    }
}
