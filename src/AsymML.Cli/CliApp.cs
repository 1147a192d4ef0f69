using System.CommandLine;
using AsymML.Cli.Commands;
using AsymML.Execution;

namespace AsymML.Cli;

/// <summary>The <c>asymml</c> command line: builds the commands and turns anticipated errors into a message on
/// stderr and an exit code (no stack trace).</summary>
public static class CliApp
{
    /// <summary>Runs <c>asymml</c> with <paramref name="args"/>; returns the process exit code
    /// (0 success, 1 invalid command line, 2 a user error such as a missing or malformed file).</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("AsymML for .NET: privacy-preserving CNN training and inference split between a TEE and an untrusted accelerator.");
        root.Subcommands.Add(KeygenCommand.Create());
        root.Subcommands.Add(SealCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(InferCommand.Create());
        root.Subcommands.Add(UnsealCommand.Create());
        root.Subcommands.Add(EntropyCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(AnalyzeCommand.Create());
        try
        {
            // Our handler below, not the parser's: it would print a stack trace for anticipated errors.
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UserErrorException or IOException or InvalidDataException or ExecutionException)
        {
            Console.Error.WriteLine($"asymml: {e.Message}");
            return e is UserErrorException user ? user.ExitCode : 2;
        }
    }
}
