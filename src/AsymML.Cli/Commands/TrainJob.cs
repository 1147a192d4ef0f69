using System.Globalization;
using AsymML.Cli.Rendering;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Training;
using AsymML.Network;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary>What <c>asymml train</c> does with its options once the parser has checked them: resolve data and model,
/// run <see cref="PrivateTraining"/> under a progress bar, print and save the figures.</summary>
internal static class TrainJob
{
    /// <summary>The parsed command line: the files and the library's options.</summary>
    /// <param name="Model">A zoo name, or a checkpoint to start from.</param>
    /// <param name="Data">The training data (<c>--data</c>).</param>
    /// <param name="TestData">The test data; null: the test split of plain data, none for sealed data.</param>
    /// <param name="Key">The data owner's key file.</param>
    /// <param name="Checkpoint">The checkpoint folder (created when training starts).</param>
    /// <param name="Json">Where to write the figures as JSON.</param>
    /// <param name="Plot">Where to draw the curves.</param>
    /// <param name="Options">Everything else, checked.</param>
    public sealed record Request(string Model, string Data, string? TestData, FileInfo? Key, DirectoryInfo? Checkpoint, FileInfo? Json, FileInfo? Plot,
        PrivateTrainingOptions Options);

    public static int Run(Request r)
    {
        PrivateTrainingOptions options = r.Options;
        TrainingPlan plan = options.Plan;
        DataSource train = DataSources.Open(r.Data, "train", r.Key, plan.MaxTrainSamples);
        DataSource? test = r.TestData is not null ? DataSources.Open(r.TestData, "test", r.Key, plan.MaxTestSamples)
            : train is PlainDataSource ? DataSources.Open(r.Data, "test", r.Key, plan.MaxTestSamples) : null;
        if (test is null)
            AnsiConsole.MarkupLine("[yellow]No --test-data: training without a test set.[/]");
        (NetworkSpec spec, StateDict? initial) = Model(r.Model, train);
        using (initial)
        {
            if (r.Checkpoint is not null) Directory.CreateDirectory(r.Checkpoint.FullName); // only once data and model are known good
            Warn(options, train);
            string method = options.SplitMethod == SplitMethod.Blocked ? "" : $", split method {options.SplitMethod}";
            AnsiConsole.MarkupLineInterpolated($"[bold]{spec.Name}[/], {options.Mode} mode, ranks {options.RankPolicy.Name}{method}, nsr {options.NoiseRatio}, mask {options.Mask?.Name ?? "off"}{(options.ResidualPrivacy is { } dp ? $", residual Gaussian mechanism {dp}" : "")}, {train.Count} training samples ({DataSources.Describe(train)}), batch {plan.BatchSize}, {plan.Epochs} epochs");
            TrainingOutcome outcome = Train(spec, train, test, options, initial);
            TrainReport report = TrainReport.From(spec.Name, options, outcome, test is SealedDataSource sealedTest ? sealedTest.Header.ClassNames : (test as PlainDataSource)?.Images.ClassNames);
            report.Print();
            report.PrintGuarantee();
            if (r.Json is not null) JsonReport.Write(r.Json.FullName, report);
            if (r.Plot is not null) TrainingPlot.Save(r.Plot.FullName, outcome.History, $"{spec.Name}, {options.Mode}");
        }
        return 0;
    }

    private static TrainingOutcome Train(NetworkSpec spec, DataSource train, DataSource? test, PrivateTrainingOptions options, StateDict? initial)
    {
        var view = new TrainingProgressView();
        int epochs = options.Plan.Epochs;
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            // A log: plain lines, nothing redrawn.
            var log = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (view.Report(p, log: true) is string line) AnsiConsole.WriteLine(line);
            });
            return PrivateTraining.Run(spec, train, test, options, initial, log, e =>
            {
                foreach (string line in TrainingProgressView.Summary(e, epochs)) AnsiConsole.MarkupLine(line);
            });
        }
        TrainingOutcome? outcome = null;
        AnsiConsole.Live(view.Render(AnsiConsole.Profile.Width)).AutoClear(false).Start(context =>
        {
            void Show() => context.UpdateTarget(view.Render(AnsiConsole.Profile.Width));
            var progress = new SynchronousProgress<TrainingProgress>(p =>
            {
                view.Report(p, log: false);
                Show();
            });
            outcome = PrivateTraining.Run(spec, train, test, options, initial, progress, e =>
            {
                view.EpochDone(e, epochs);
                Show();
            });
        });
        return outcome!;
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
        else if (!options.EnclaveProcess)
            AnsiConsole.MarkupLine("[yellow]In-process emulation: the enclave is a thread of this process, so the key and the opened data share the host's memory. --enclave-process keeps them in a process of their own (an emulation still: no attestation, no hardware isolation).[/]");
        if (options.KeyFile is null && options.Plan.CheckpointPath is not null)
            AnsiConsole.MarkupLine("[yellow]No --key: the checkpoints are UNAUTHENTICATED (the enclave has no key to tag them with); a session with the data owner's key will refuse them.[/]");
        if (options.NoiseRatio == 0 && options.ResidualPrivacy is null && options.Mask is null && options.Mode == ExecutionMode.Asym)
            AnsiConsole.MarkupLine("[grey]nsr 0: the residuals the host sees are unmasked (exact training; see docs for the leakage figures).[/]");
        if (options.Mask is not null && options.Mode == ExecutionMode.Asym)
            AnsiConsole.MarkupLine("[grey]Masked: the host sees mixtures of each group's residuals and dY plus noise, not the residuals (exact training; what it still learns: docs/residual-masking.md).[/]");
    }

    /// <summary>Progress that reports on the caller's thread (Spectre's progress context is not thread-safe to share).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
