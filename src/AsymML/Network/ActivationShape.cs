using System.Globalization;

namespace AsymML.Network;

/// <summary>The shape of one sample's activation, without the batch dimension: a feature map [C, H, W] or a
/// feature vector [F].</summary>
public sealed class ActivationShape : IEquatable<ActivationShape>
{
    private readonly int[] _dims;

    private ActivationShape(int[] dims) => _dims = dims;

    /// <summary>A [C, H, W] feature map.</summary>
    public static ActivationShape Map(int channels, int height, int width)
    {
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(channels), $"A feature map needs positive sizes, got [{channels}, {height}, {width}].");
        return new([channels, height, width]);
    }

    /// <summary>A [F] feature vector.</summary>
    public static ActivationShape Vector(int features)
    {
        if (features <= 0)
            throw new ArgumentOutOfRangeException(nameof(features), $"A feature vector needs a positive size, got {features}.");
        return new([features]);
    }

    /// <summary>The sizes, outermost first.</summary>
    public IReadOnlyList<int> Dims => _dims;

    /// <summary>True for a [C, H, W] map.</summary>
    public bool IsMap => _dims.Length == 3;

    /// <summary>C of a map.</summary>
    public int Channels => IsMap ? _dims[0] : throw new InvalidOperationException($"{this} is not a [C, H, W] map.");

    /// <summary>H of a map.</summary>
    public int Height => IsMap ? _dims[1] : throw new InvalidOperationException($"{this} is not a [C, H, W] map.");

    /// <summary>W of a map.</summary>
    public int Width => IsMap ? _dims[2] : throw new InvalidOperationException($"{this} is not a [C, H, W] map.");

    /// <summary>F of a vector.</summary>
    public int Features => IsMap ? throw new InvalidOperationException($"{this} is not a [F] vector.") : _dims[0];

    /// <summary>Number of elements per sample.</summary>
    public long ElementCount => _dims.Aggregate(1L, (product, d) => product * d);

    /// <summary>The tensor shape of a batch of <paramref name="batch"/> such samples.</summary>
    public long[] WithBatch(long batch) => [batch, .. _dims.Select(d => (long)d)];

    /// <inheritdoc />
    public bool Equals(ActivationShape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ActivationShape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in _dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>E.g. <c>[64, 16, 16]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Value equality.</summary>
    public static bool operator ==(ActivationShape? left, ActivationShape? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(ActivationShape? left, ActivationShape? right) => !(left == right);
}
