namespace AsymML.Sealing;

/// <summary>
/// Thrown when a sealed data set, sealed blob or key file is refused. <see cref="Check"/> says which check failed;
/// the message starts with the file's path when it is known, then the problem, then the check in brackets, e.g.
/// <c>train.sealed: chunk 3 failed authentication: ciphertext or tag altered [Tampered]</c>.
/// Derives from <see cref="IOException"/> like <see cref="Data.IdxFormatException"/>. Messages never contain plaintext.
/// </summary>
public sealed class SealedDataException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="check">The check that failed.</param>
    /// <param name="filePath">Path (or other name) of the offending source, or null when unknown.</param>
    /// <param name="problem">What is wrong, in plain words, without the path.</param>
    /// <param name="innerException">Optional underlying cause.</param>
    public SealedDataException(SealCheck check, string? filePath, string problem, Exception? innerException = null)
        : base(filePath is null ? $"{problem} [{check}]" : $"{filePath}: {problem} [{check}]", innerException)
    {
        Check = check;
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The check that refused the input.</summary>
    public SealCheck Check { get; }

    /// <summary>Path of the offending file, or null when the bytes did not come from a named file.</summary>
    public string? FilePath { get; }

    /// <summary>The problem description without the path and check.</summary>
    public string Problem { get; }
}
