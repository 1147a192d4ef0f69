namespace AsymML.Execution;

/// <summary>Where a data set given to an executor comes from.</summary>
public abstract record DataSource
{
    /// <summary>Sample count, as the host knows it (plain: the set; sealed: the file's header).</summary>
    public abstract int Count { get; }

    /// <summary>Height and width of every image.</summary>
    public abstract (int Height, int Width) ImageSize { get; }
}
