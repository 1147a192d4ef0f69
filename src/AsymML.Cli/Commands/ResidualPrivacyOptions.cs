using System.CommandLine;
using AsymML.Boundary.Session;

namespace AsymML.Cli.Commands;

/// <summary>The options of the residual Gaussian mechanism (<c>--dp-sigma</c> turns it on), shared by the commands
/// that run the split.</summary>
internal sealed class ResidualPrivacyOptions
{
    public Option<double?> Sigma { get; } = OptionRules.Require(new Option<double?>("--dp-sigma")
    {
        Description = "Gaussian mechanism on every residual: clip each sample's residual to L2 norm C and add N(0, (σC)²) from the enclave's CSPRNG; the enclave reports (ε, δ) for the run. σ > 0; off when not given.",
    }, v => v is not double x || (x > 0 && double.IsFinite(x)), v => $"--dp-sigma must be a finite number > 0; got {v}.");

    public Option<double?> Clip { get; } = OptionRules.Require(new Option<double?>("--dp-clip")
    {
        Description = "Clipping norm C of every split layer's per-sample residual; default: calibrated per layer inside the enclave from the first batch (see --dp-clip-quantile).",
    }, v => v is not double x || (x > 0 && double.IsFinite(x)), v => $"--dp-clip must be a finite number > 0; got {v}.");

    public Option<double> Quantile { get; } = OptionRules.Require(new Option<double>("--dp-clip-quantile")
    {
        Description = "Quantile of per-sample residual norms that sets C per layer when --dp-clip is not given.",
        DefaultValueFactory = _ => 0.5,
    }, v => v > 0 && v <= 1, v => $"--dp-clip-quantile must be in (0, 1]; got {v}.");

    public Option<double> Delta { get; } = OptionRules.Require(new Option<double>("--dp-delta")
    {
        Description = "δ of the reported (ε, δ) guarantee.",
        DefaultValueFactory = _ => 1e-5,
    }, v => v > 0 && v < 1, v => $"--dp-delta must be in (0, 1); got {v}.");

    /// <summary>Adds the options; refuses <c>--dp-sigma</c> together with a nonzero <paramref name="nsr"/>.</summary>
    public void AddTo(Command command, Option<double>? nsr = null)
    {
        foreach (Option option in new Option[] { Sigma, Clip, Quantile, Delta }) command.Options.Add(option);
        if (nsr is not null)
            Sigma.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<double?>() is not null && result.GetValue(nsr) > 0)
                    result.AddError("--dp-sigma and --nsr cannot be combined: the guarantee is stated for the Gaussian mechanism alone.");
            });
    }

    /// <summary>The mechanism's settings, or null when <c>--dp-sigma</c> is not given.</summary>
    public ResidualPrivacySettings? Settings(ParseResult result) => result.GetValue(Sigma) is double sigma
        ? new ResidualPrivacySettings(sigma, result.GetValue(Clip), result.GetValue(Quantile), result.GetValue(Delta))
        : null;
}
