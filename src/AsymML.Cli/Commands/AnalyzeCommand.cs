using System.CommandLine;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml analyze</c>: what the untrusted host can learn. Only the parent; each analysis is its own
/// command in its own file, listed here.</summary>
internal static class AnalyzeCommand
{
    private static readonly Func<Command>[] Subcommands =
    [
        AnalyzeAttackCommand.Create,
        AnalyzeLeakageCommand.Create,
        AnalyzeAuditCommand.Create,
        AnalyzeFrontierCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("analyze", "What the untrusted host can learn from what crosses the boundary: attacks on its real view, leakage estimators, an audit of a transcript, the privacy/speed/accuracy frontier of the defences.");
        foreach (Func<Command> create in Subcommands) command.Subcommands.Add(create());
        return command;
    }
}
