namespace AsymML.Cli;

/// <summary>An anticipated user error (bad option, missing file): printed to stderr without a stack trace,
/// and the process exits with <see cref="ExitCode"/>.</summary>
public sealed class UserErrorException(string message, int exitCode = 2) : Exception(message)
{
    /// <summary>Process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
