using AsymML.Optimization;
using System.CommandLine;
using AsymML.Accelerator;
using AsymML.Boundary.Session;
using AsymML.Decomposition;
using AsymML.Execution;

namespace AsymML.Cli.Commands;

/// <summary>Options shared by the commands that run a network (mode, rank policy, split method, optimizer, enclave
/// process): each parsed to its library type by the parser, which refuses a bad value before any work starts.</summary>
internal static class ExecutionOptions
{
    public static Option<ExecutionMode> Mode() => Choice.Of("--mode", "a mode",
        "asym (the split), tee-only (all inside the enclave) or untrusted-only (all on the host: no privacy).", ExecutionMode.Asym,
        ("asym", ExecutionMode.Asym), ("tee-only", ExecutionMode.TeeOnly), ("untrusted-only", ExecutionMode.UntrustedOnly));

    public static Option<SplitMethod> SplitMethod() => Choice.Of("--split-method", "a split method",
        "How the enclave finds each split's principal components: lightweight (the paper's Algorithm 1), blocked (block power iteration: fastest, as much energy) or exact (full SVD).",
        Decomposition.SplitMethod.Blocked,
        ("lightweight", Decomposition.SplitMethod.Lightweight), ("blocked", Decomposition.SplitMethod.Blocked), ("exact", Decomposition.SplitMethod.Exact));

    public static Option<OptimizerKind> Optimizer() => Choice.Of("--optimizer", "an optimizer", "adam, or sgd (momentum 0.9, Nesterov).", OptimizerKind.Adam,
        ("adam", OptimizerKind.Adam), ("sgd", OptimizerKind.Sgd));

    public static Option<RankPolicy> RankPolicy() => new("--rank-policy")
    {
        Description = "paper, fixed:r or energy:τ.",
        HelpName = "paper|fixed:r|energy:τ",
        DefaultValueFactory = _ => new PaperRankPolicy(),
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
            try
            {
                return Decomposition.RankPolicy.Parse(text);
            }
            catch (FormatException e)
            {
                result.AddError($"--rank-policy: {e.Message}");
                return null;
            }
        },
    };

    public static Option<VerificationSettings> Verify() => new("--verify")
    {
        Description = "How the enclave checks the accelerator's results (Freivalds checks, about 1/(batch·channels) of each convolution): all, sample:p (a share p of them, each lie caught with probability p per check), or off.",
        HelpName = "all|sample:p|off",
        DefaultValueFactory = _ => VerificationSettings.All,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
            try
            {
                return VerificationSettings.Parse(text);
            }
            catch (FormatException e)
            {
                result.AddError($"--verify {e.Message}");
                return null;
            }
        },
    };

    /// <summary><c>--mask</c> as text, checked by the parser (read it with <see cref="MaskOf"/>): a custom parser
    /// cannot return null for "off" (System.CommandLine then fails to cast the value).</summary>
    public static Option<string> Mask()
    {
        var option = new Option<string>("--mask")
        {
            Description = "DarKnight-style masking of what leaves each split convolution (AsymML only): off, or darknight[:g[:σ]] — each group of g samples (default 8) leaves as g+2 random orthogonal combinations plus a noise term σ times as large as the data (default 4), un-mixed exactly inside; the accelerator convolves (g+2)/g as much.",
            HelpName = "off|darknight[:g[:σ]]",
            DefaultValueFactory = _ => "off",
        };
        option.Validators.Add(result =>
        {
            try
            {
                MaskingSettings.Parse(result.GetValueOrDefault<string>() ?? "off");
            }
            catch (FormatException e)
            {
                result.AddError($"--mask {e.Message}");
            }
        });
        return option;
    }

    /// <summary>The masking <paramref name="option"/> names (null for off); the parser has checked it.</summary>
    public static MaskingSettings? MaskOf(ParseResult result, Option<string> option) => MaskingSettings.Parse(result.GetValue(option) ?? "off");

    /// <summary>Threads of the enclave process; at least 1 when given.</summary>
    public static Option<int?> EnclaveThreads(string description)
    {
        var option = new Option<int?>("--enclave-threads") { Description = description };
        OptionRules.Require(option, v => v is not < 1, v => $"--enclave-threads must be at least 1; got {v}.");
        return option;
    }

    /// <summary>Refuses <c>--enclave-process</c> beside <c>--mode untrusted-only</c>: there is no enclave to move.</summary>
    /// <remarks>A check of the option, not of the command: the parser skips the options' own checks once a command's
    /// check has failed, and every error should be reported together.</remarks>
    public static void RefuseEnclaveProcessWithoutEnclave(Option<bool> enclaveProcess, Option<ExecutionMode> mode) =>
        enclaveProcess.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<bool>() && OptionRules.TryGetValue(result, mode, out ExecutionMode m) && m == ExecutionMode.UntrustedOnly)
                result.AddError("--enclave-process has no meaning with --mode untrusted-only (there is no enclave).");
        });
}
