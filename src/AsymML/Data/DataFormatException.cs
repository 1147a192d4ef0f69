namespace AsymML.Data;

/// <summary>
/// Thrown when a data-set file or folder (a CIFAR-10 batch, an image of an image folder, a folder layout) is
/// malformed or does not hold what the loader expects. Like <see cref="IdxFormatException"/>, the message starts
/// with the offending path, followed by a plain-language description of the problem and, where there is one, what
/// to do; it derives from <see cref="IOException"/> so callers can catch every data-reading failure in one place.
/// </summary>
public sealed class DataFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/> with a description of the problem.</summary>
    /// <param name="path">Path of the offending file or directory, as given by the caller.</param>
    /// <param name="problem">What is wrong, in words a user understands (no leading path needed).</param>
    /// <param name="innerException">Optional underlying cause (for example a decoder error).</param>
    public DataFormatException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>Path of the file or directory the problem was found in.</summary>
    public string FilePath { get; }

    /// <summary>The problem description without the path.</summary>
    public string Problem { get; }
}
