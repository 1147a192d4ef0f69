using static TorchSharp.torch;

namespace AsymML.Network;

/// <summary>One named tensor of a network's state dict, as PyTorch names it.</summary>
/// <param name="Name">Full name, e.g. <c>layer1.0.bn1.running_var</c>.</param>
/// <param name="LayerPath">Path of the owning layer, e.g. <c>layer1.0.bn1</c>.</param>
/// <param name="Role">Weight, bias or one of the BatchNorm buffers.</param>
/// <param name="Shape">Tensor shape (empty for the scalar <c>num_batches_tracked</c>).</param>
public sealed record ParameterEntry(string Name, string LayerPath, ParameterRole Role, IReadOnlyList<long> Shape)
{
    /// <summary>Creates the entry <c>&lt;layerPath&gt;.&lt;suffix of role&gt;</c>.</summary>
    public static ParameterEntry For(string layerPath, ParameterRole role, params long[] shape) =>
        new($"{layerPath}.{Suffix(role)}", layerPath, role, shape);

    /// <summary>True for BatchNorm statistics (state-dict buffers, not trained by gradient).</summary>
    public bool IsBuffer => Role is ParameterRole.RunningMean or ParameterRole.RunningVar or ParameterRole.BatchesTracked;

    /// <summary>int64 for <c>num_batches_tracked</c>, float32 otherwise.</summary>
    public ScalarType DType => Role == ParameterRole.BatchesTracked ? ScalarType.Int64 : ScalarType.Float32;

    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, d) => product * d);

    /// <summary>The name suffix PyTorch uses for <paramref name="role"/>.</summary>
    public static string Suffix(ParameterRole role) => role switch
    {
        ParameterRole.Weight => "weight",
        ParameterRole.Bias => "bias",
        ParameterRole.RunningMean => "running_mean",
        ParameterRole.RunningVar => "running_var",
        ParameterRole.BatchesTracked => "num_batches_tracked",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Value equality, the shape compared element by element.</summary>
    public bool Equals(ParameterEntry? other) =>
        other is not null && Name == other.Name && LayerPath == other.LayerPath && Role == other.Role && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Role, Shape.Count);

    /// <summary>E.g. <c>features.0.weight [64, 3, 3, 3]</c>.</summary>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
