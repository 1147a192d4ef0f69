namespace AsymML.Data;

/// <summary>
/// Thrown when an IDX file (the MNIST / Fashion-MNIST storage format) is malformed or does not hold
/// the data the caller expects. The message always starts with the offending file's path, followed by
/// a plain-language description of the problem. It derives from <see cref="IOException"/> (as does the
/// <see cref="FileNotFoundException"/> thrown for missing files), because <see cref="InvalidDataException"/> is sealed.
/// </summary>
public sealed class IdxFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with a description of the problem.</summary>
    /// <param name="filePath">Path of the offending file, as given by the caller.</param>
    /// <param name="problem">What is wrong, in words a user understands (no trailing path needed).</param>
    /// <param name="innerException">Optional underlying cause (for example a gzip decoding error).</param>
    public IdxFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Path of the file the problem was found in.</summary>
    public string FilePath { get; }

    /// <summary>The problem description without the file path.</summary>
    public string Problem { get; }
}
