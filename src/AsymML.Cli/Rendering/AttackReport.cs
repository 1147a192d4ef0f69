using System.Globalization;
using System.Runtime.InteropServices;
using AsymML.Privacy.Attacks;
using Spectre.Console;

namespace AsymML.Cli.Rendering;

/// <summary>The figures of <c>asymml analyze attack</c>: one line per result as it comes, and the whole run as JSON.</summary>
/// <param name="Attack">The subcommand.</param>
/// <param name="Model">The network.</param>
/// <param name="RankPolicy">The split's rank policy.</param>
/// <param name="TrainEpochs">Epochs the model was trained before the attack (0: seeded initialisation).</param>
/// <param name="TrainAccuracy">The model's accuracy on its training set in its last training epoch; null when untrained.</param>
/// <param name="PublicSamples">Public images.</param>
/// <param name="TrainSamples">The owner's training images.</param>
/// <param name="PrivateSamples">Private test images.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Machine">Where it ran.</param>
/// <param name="Seconds">Time of the attacks (model training excluded).</param>
/// <param name="Results">Each result (<see cref="ReconstructionResult"/> or <see cref="LabelLeakageResult"/>).</param>
internal sealed record AttackReport(string Attack, string Model, string RankPolicy, int TrainEpochs, double? TrainAccuracy, int PublicSamples, int TrainSamples,
    int PrivateSamples, long Seed, string Machine, double Seconds, IReadOnlyList<object> Results)
{
    /// <summary>Cores, OS and runtime of this machine.</summary>
    public static string ThisMachine() => $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";

    public static void Print(AttackResult result)
    {
        switch (result)
        {
            case ReconstructionResult r:
                AnsiConsole.MarkupLine(Markup.Escape(I($"{r.Attack} {r.Target} nsr {r.NoiseRatio}: SSIM {r.Ssim:0.000} PSNR {r.Psnr:0.00} dB | unprotected SSIM {r.Unprotected.Ssim:0.000} PSNR {r.Unprotected.Psnr:0.00} | noise SSIM {r.Noise.Ssim:0.000} PSNR {r.Noise.Psnr:0.00} | mean image SSIM {r.MeanImage.Ssim:0.000} PSNR {r.MeanImage.Psnr:0.00} | {r.HostView.Images} images, {r.Seconds:0} s")));
                break;
            case LabelLeakageResult l:
                AnsiConsole.MarkupLine(Markup.Escape(I($"{l.Attack} {l.Target} nsr {l.NoiseRatio}: accuracy {l.Accuracy:0.000} ({l.Scoring}) | unprotected {l.UnprotectedAccuracy:0.000} | chance {l.ChanceAccuracy:0.000} | {l.Steps} steps, {l.Seconds:0} s")));
                break;
        }
    }

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
