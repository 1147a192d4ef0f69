using System.CommandLine;
using AsymML.Decomposition;
using AsymML.Execution;

namespace AsymML.Cli.Commands;

/// <summary>Options shared by the commands that run a network (mode, rank policy), and the one place that resolves them.</summary>
internal static class ExecutionOptions
{
    public static Option<string> Mode()
    {
        var mode = new Option<string>("--mode")
        {
            Description = "asym (the split), tee-only (all inside the enclave) or untrusted-only (all on the host: no privacy).",
            DefaultValueFactory = _ => "asym",
        };
        mode.AcceptOnlyFromAmong("asym", "tee-only", "untrusted-only");
        return mode;
    }

    public static ExecutionMode ParseMode(string mode) => mode switch
    {
        "tee-only" => ExecutionMode.TeeOnly,
        "untrusted-only" => ExecutionMode.UntrustedOnly,
        _ => ExecutionMode.Asym,
    };

    public static Option<string> RankPolicy() => new("--rank-policy") { Description = "paper, fixed:r or energy:τ.", DefaultValueFactory = _ => "paper" };

    /// <summary>The rank policy, or a user error (exit code 1: a bad command line) that says what is wrong.</summary>
    public static Decomposition.RankPolicy ParsePolicy(string text)
    {
        try
        {
            return Decomposition.RankPolicy.Parse(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UserErrorException($"--rank-policy: {e.Message}", 1);
        }
    }
}
