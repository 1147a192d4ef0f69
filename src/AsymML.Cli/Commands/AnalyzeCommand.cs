using System.CommandLine;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml analyze</c>: what the untrusted host can learn. Only the parent; each subcommand lives in its own
/// file and is listed here.</summary>
internal static class AnalyzeCommand
{
    /// <summary>The subcommands, one factory each.</summary>
    private static readonly Func<Command>[] Subcommands =
    [
        AnalyzeAttackCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("analyze", "What the untrusted host can learn from what crosses the boundary: attacks on its real view, leakage estimates.");
        foreach (Func<Command> create in Subcommands)
            command.Subcommands.Add(create());
        return command;
    }
}
