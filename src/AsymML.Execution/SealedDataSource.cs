using AsymML.Sealing;

namespace AsymML.Execution;

/// <summary>A sealed data set file (<c>asymml seal</c>): the host reads only its ciphertext and hands the pieces to
/// the enclave, which alone holds the key.</summary>
public sealed record SealedDataSource : DataSource
{
    /// <summary>Opens <paramref name="path"/> and checks its framing (not its content: that needs the key).</summary>
    /// <exception cref="SealedDataException">Not a sealed data file, or its framing is broken.</exception>
    public SealedDataSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Header = SealedDataFile.Open(path).Header;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Its public header (count, shape, chunk size, class count).</summary>
    public SealedHeader Header { get; }

    /// <inheritdoc />
    public override int Count => Header.Count;

    /// <inheritdoc />
    public override (int Height, int Width) ImageSize => (Header.Rows, Header.Cols);
}
