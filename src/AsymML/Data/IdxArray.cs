namespace AsymML.Data;

/// <summary>
/// Unsigned-byte data read from an IDX file: the leading items along the first dimension, stored
/// row-major (last dimension varies fastest).
/// </summary>
public sealed class IdxArray
{
    /// <summary>Creates an array; <paramref name="data"/> must hold exactly the product of <paramref name="dimensions"/> bytes.</summary>
    /// <param name="filePath">File the data was read from.</param>
    /// <param name="dimensions">Shape of <paramref name="data"/>; the first entry is the number of items read.</param>
    /// <param name="declaredCount">Number of items (first dimension) declared in the file's header.</param>
    /// <param name="data">Row-major values.</param>
    public IdxArray(string filePath, IReadOnlyList<int> dimensions, int declaredCount, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Count == 0)
            throw new ArgumentException("At least one dimension is required.", nameof(dimensions));
        long product = 1;
        foreach (int d in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dimensions));
            product *= d;
        }
        if (product != data.LongLength)
            throw new ArgumentException($"Shape [{string.Join(", ", dimensions)}] needs {product} values but {data.Length} were given.", nameof(data));
        ArgumentOutOfRangeException.ThrowIfLessThan(declaredCount, dimensions[0]);

        FilePath = filePath;
        Dimensions = dimensions.ToArray();
        DeclaredCount = declaredCount;
        Data = data;
    }

    /// <summary>File the data was read from.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Shape of <see cref="Data"/>. The first entry is <see cref="Count"/> (items actually read), the rest are the
    /// per-item dimensions from the header (for images: rows, then columns).
    /// </summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>Number of items read (first entry of <see cref="Dimensions"/>).</summary>
    public int Count => Dimensions[0];

    /// <summary>Number of items the file's header declares; at least <see cref="Count"/>.</summary>
    public int DeclaredCount { get; }

    /// <summary>Values, row-major; length is the product of <see cref="Dimensions"/>.</summary>
    public byte[] Data { get; }
}
