using System.Globalization;
using AsymML.Accelerator;
using AsymML.Cli.Rendering;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Training;
using AsymML.Network;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary>What <c>asymml train</c> does with its parsed options: resolve data, model and settings (every bad value
/// is reported before any work starts), run <see cref="PrivateTraining"/> under a progress bar, print and save the figures.</summary>
internal static class TrainJob
{
    public sealed record Settings(string Model, string Data, string? TestData, FileInfo? Key, int? MaxSamples, int? MaxTestSamples,
        string Mode, string RankPolicy, double Nsr, int Epochs, int Batch, double Lr, string Optimizer, double WeightDecay, string Schedule, string Augment,
        long Seed, DirectoryInfo? Checkpoint, bool Resume, bool EnclaveProcess, int? EnclaveThreads, double? BudgetMb, FileInfo? Json, FileInfo? Plot);

    public static int Run(Settings s)
    {
        PrivateTrainingOptions options = Options(s);
        DataSource train = DataSources.Open(s.Data, "train", s.Key, s.MaxSamples);
        DataSource? test = s.TestData is not null ? DataSources.Open(s.TestData, "test", s.Key, s.MaxTestSamples)
            : train is PlainDataSource ? DataSources.Open(s.Data, "test", s.Key, s.MaxTestSamples) : null;
        if (test is null)
            AnsiConsole.MarkupLine("[yellow]No --test-data: training without a test set.[/]");
        (NetworkSpec spec, StateDict? initial) = Model(s.Model, train);
        using (initial)
        {
            Warn(options, train);
            AnsiConsole.MarkupLineInterpolated($"[bold]{spec.Name}[/], {options.Mode} mode, ranks {options.RankPolicy.Name}, nsr {s.Nsr}, {train.Count} training samples ({DataSources.Describe(train)}), batch {s.Batch}, {s.Epochs} epochs");
            TrainingOutcome outcome = Train(spec, train, test, options, initial);
            TrainReport report = TrainReport.From(spec.Name, options, outcome, test is SealedDataSource sealedTest ? sealedTest.Header.ClassNames : (test as PlainDataSource)?.Images.ClassNames);
            report.Print();
            if (s.Json is not null) JsonReport.Write(s.Json.FullName, report);
            if (s.Plot is not null) TrainingPlot.Save(s.Plot.FullName, outcome.History, $"{spec.Name}, {options.Mode}");
        }
        return 0;
    }

    private static TrainingOutcome Train(NetworkSpec spec, DataSource train, DataSource? test, PrivateTrainingOptions options, StateDict? initial)
    {
        TrainingOutcome? outcome = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<int, ProgressTask>();
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Epoch, out ProgressTask? task))
                        tasks[p.Epoch] = task = context.AddTask($"epoch {p.Epoch}/{p.Epochs}", maxValue: p.Steps);
                    task.Value = p.Step;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:0.000} acc {p.Accuracy:0.000} {p.SamplesPerSecond:0} samples/s | enclave {p.EnclaveSeconds:0.0} s accelerator {p.AcceleratorSeconds:0.0} s boundary {p.BoundarySeconds:0.0} s");
                });
                outcome = PrivateTraining.Run(spec, train, test, options, initial, progress, e =>
                    AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                        $"[bold]epoch {e.Epoch}[/]: train loss {e.TrainLoss:0.0000}, train accuracy {e.TrainAccuracy * 100:0.00}%, [bold]test accuracy {e.TestAccuracy * 100:0.00}%[/] ({e.Seconds:0} s: enclave {e.EnclaveSeconds:0} s, accelerator {e.AcceleratorSeconds:0} s, boundary {e.BoundarySeconds:0} s)")));
            });
        return outcome!;
    }

    private static PrivateTrainingOptions Options(Settings s)
    {
        var errors = new List<string>();
        RankPolicy? policy = null;
        try
        {
            policy = Decomposition.RankPolicy.Parse(s.RankPolicy);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            errors.Add($"--rank-policy: {e.Message}");
        }
        if (s.Nsr < 0 || !double.IsFinite(s.Nsr)) errors.Add($"--nsr must be a finite number ≥ 0; got {s.Nsr}.");
        if (!(s.Lr > 0)) errors.Add($"--lr must be positive; got {s.Lr}.");
        if (s.WeightDecay < 0) errors.Add($"--weight-decay must be ≥ 0; got {s.WeightDecay}.");
        if (s.Batch < 2) errors.Add($"--batch must be at least 2 (BatchNorm); got {s.Batch}.");
        if (s.MaxSamples is < 2) errors.Add($"--max-samples must be at least 2; got {s.MaxSamples}.");
        if (s.MaxTestSamples is < 1) errors.Add($"--max-test-samples must be at least 1; got {s.MaxTestSamples}.");
        if (s.EnclaveThreads is < 1) errors.Add($"--enclave-threads must be at least 1; got {s.EnclaveThreads}.");
        if (s.BudgetMb is <= 0) errors.Add($"--memory-budget-mb must be positive; got {s.BudgetMb}.");
        if (s.Resume && s.Checkpoint is null) errors.Add("--resume needs --checkpoint <folder>.");
        ExecutionMode mode = ExecutionOptions.ParseMode(s.Mode);
        if (s.EnclaveProcess && mode == ExecutionMode.UntrustedOnly) errors.Add("--enclave-process has no meaning with --mode untrusted-only (there is no enclave).");
        Augmentation? augmentation = null;
        try
        {
            augmentation = ParseAugmentation(s.Augment);
        }
        catch (FormatException e)
        {
            errors.Add(e.Message);
        }
        if (errors.Count > 0)
            throw new UserErrorException(string.Join(Environment.NewLine + "asymml: ", errors), exitCode: 1);
        if (s.Checkpoint is not null) Directory.CreateDirectory(s.Checkpoint.FullName);
        var optimizer = s.Optimizer == "adam"
            ? new OptimizerSettings(OptimizerKind.Adam, s.Lr, 0, false, s.WeightDecay)
            : new OptimizerSettings(OptimizerKind.Sgd, s.Lr, 0.9, true, s.WeightDecay);
        var plan = new TrainingPlan(s.Epochs, s.Batch, s.Seed, s.MaxSamples, s.MaxTestSamples,
            s.Checkpoint is null ? null : Path.Combine(s.Checkpoint.FullName, Checkpoint.FileName), s.Schedule == "cosine" ? s.Lr : null);
        return new PrivateTrainingOptions(mode, policy!, s.Nsr, optimizer, plan, s.Key?.FullName, augmentation, s.EnclaveProcess,
            s.EnclaveThreads, s.BudgetMb is double mb ? (long)(mb * 1e6) : null, s.Resume);
    }

    /// <summary>"none", "crop:p", "flip" or "crop:p,flip".</summary>
    internal static Augmentation? ParseAugmentation(string text)
    {
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        int padding = 0;
        bool flip = false;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("flip", StringComparison.OrdinalIgnoreCase)) flip = true;
            else if (part.StartsWith("crop:", StringComparison.OrdinalIgnoreCase) && int.TryParse(part[5..], NumberStyles.None, CultureInfo.InvariantCulture, out padding) && padding > 0) { }
            else throw new FormatException($"--augment '{text}': expected none, crop:p (p ≥ 1), flip, or crop:p,flip.");
        }
        return new Augmentation(cropPadding: padding, horizontalFlip: flip);
    }

    private static (NetworkSpec, StateDict?) Model(string model, DataSource train)
    {
        if (File.Exists(model) || Directory.Exists(model))
        {
            using Checkpoint checkpoint = Checkpoint.Load(model);
            return (checkpoint.Spec, checkpoint.State.Clone());
        }
        try
        {
            return (ModelZoo.Create(model, DataSources.Channels(train), DataSources.Classes(train), imageSize: train.ImageSize.Height), null);
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException($"--model: {e.Message}");
        }
    }

    private static void Warn(PrivateTrainingOptions options, DataSource train)
    {
        if (options.Mode == ExecutionMode.UntrustedOnly)
            AnsiConsole.MarkupLine("[red bold]untrusted-only: NO PRIVACY.[/][red] The host opens the data and trains in plaintext (a baseline for comparison).[/]");
        else if (train is PlainDataSource)
            AnsiConsole.MarkupLine("[yellow]Plain data: this host process has read every image and label. Seal the data (asymml seal) to keep it from the host.[/]");
        if (options.NoiseRatio == 0 && options.Mode == ExecutionMode.Asym)
            AnsiConsole.MarkupLine("[grey]nsr 0: the residuals the host sees are unmasked (exact training; see docs for the leakage figures).[/]");
    }

    /// <summary>Progress that reports on the caller's thread (Spectre's progress context is not thread-safe to share).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
