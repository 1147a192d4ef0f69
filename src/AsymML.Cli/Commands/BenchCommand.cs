using AsymML.Optimization;
using System.CommandLine;
using AsymML.Accelerator;
using AsymML.Cli.Rendering;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml bench</c>: per-step times of the three executors on one model, side by side in one process.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"Zoo model: {string.Join(", ", ModelZoo.Names)}.", DefaultValueFactory = _ => "vgg16_bn-cifar" };
        Option<int> size = DataOptions.Positive("--image-size", "Input height and width.", 32);
        Option<int> channels = DataOptions.Positive("--channels", "Input channels.", 3);
        var batch = OptionRules.Require(new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 32 },
            v => v >= 2, v => $"--batch must be at least 2 (BatchNorm); got {v}.");
        Option<int> steps = DataOptions.Positive("--steps", "Measured training steps per executor (after one warm-up step).", 3);
        Option<RankPolicy> policy = ExecutionOptions.RankPolicy();
        Option<SplitMethod> method = ExecutionOptions.SplitMethod();
        Option<Boundary.Session.VerificationSettings> verify = ExecutionOptions.Verify();
        Option<OptimizerKind> optimizer = ExecutionOptions.Optimizer(); // the enclave runs it: Adam holds two moments per weight
        var json = OptionRules.Output(new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." });
        Option<string> mask = ExecutionOptions.Mask();
        var enclaveProcess = new Option<bool>("--enclave-process") { Description = "Run the enclave (AsymML and TEE-only) as its own process." };
        Option<int?> enclaveThreads = ExecutionOptions.EnclaveThreads("Threads of the enclave process: fewer than the accelerator's emulates a slow TEE beside a fast accelerator (implies --enclave-process).");
        var command = new Command("bench", "Per-step training times of the AsymML, TEE-only and untrusted-only executors (synthetic data), with AsymML's time split; with --mask also masked AsymML, interleaved with the unmasked one.")
        {
            model, size, channels, batch, steps, policy, method, verify, optimizer, mask, json, enclaveProcess, enclaveThreads,
        };
        command.Subcommands.Add(MemoryBenchCommand.Create());
        command.SetAction(result =>
        {
            string modelName = result.GetValue(model)!;
            int imageSize = result.GetValue(size);
            var executor = new ExecutorOptions(ExecutionMode.Asym, result.GetValue(policy)!, result.GetValue(optimizer) == OptimizerKind.Adam
                    ? new OptimizerSettings(OptimizerKind.Adam, 0.001, 0, false) : new OptimizerSettings(OptimizerKind.Sgd, 0.01, 0.9, true),
                EnclaveProcess: result.GetValue(enclaveProcess) || result.GetValue(enclaveThreads) is not null,
                EnclaveThreads: result.GetValue(enclaveThreads), SplitMethod: result.GetValue(method), Verify: result.GetValue(verify), Mask: ExecutionOptions.MaskOf(result, mask));
            var options = new StepBenchmarkOptions(Zoo(modelName, result.GetValue(channels), imageSize), imageSize, result.GetValue(batch),
                result.GetValue(steps), Classes: 10, executor);
            IReadOnlyList<StepBenchmarkResult> results = StepBenchmark.Run(options,
                mode => AnsiConsole.MarkupLineInterpolated($"[grey]{mode}: {options.Steps + 1} steps of {modelName}, batch {options.BatchSize}…[/]"));
            Report(modelName, options, results.Select(BenchRow.From).ToList(), result.GetValue(json));
            return 0;
        });
        return command;
    }

    private static NetworkSpec Zoo(string name, int channels, int size)
    {
        try
        {
            return ModelZoo.Create(name, channels, 10, imageSize: size);
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException(e.Message);
        }
    }

    private static void Report(string modelName, StepBenchmarkOptions options, List<BenchRow> rows, FileInfo? json)
    {
        ExecutorOptions executor = options.Executor;
        double tee = rows.Single(r => r.Mode == nameof(ExecutionMode.TeeOnly)).WallSeconds;
        string where = executor.EnclaveProcess ? $", enclave process with {(executor.EnclaveThreads?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default")} thread(s)" : "";
        string method = executor.SplitMethod == SplitMethod.Blocked ? "" : $", split method {executor.SplitMethod}";
        var table = new Table().Title($"{modelName}, batch {options.BatchSize}, {options.ImageSize}×{options.ImageSize}, rank policy {executor.RankPolicy.Name}{method}{where}: median of {options.Steps} training steps")
            .AddColumns("executor", "step s", "vs TEE-only", "enclave s", "of it verifying", "of it dW_U check", "of it weight update", "accelerator s", "boundary s", "boundary MB");
        foreach (BenchRow r in rows)
            table.AddRow(r.Mode, $"{r.WallSeconds:0.000}", $"{tee / r.WallSeconds:0.00}×", $"{r.EnclaveSeconds:0.000}", $"{r.VerificationShare:P1}", $"{r.WeightCheckShare:P1}", $"{r.UpdateShare:P1}",
                $"{r.AcceleratorSeconds:0.000}", $"{r.BoundarySeconds:0.000}", $"{r.BoundaryBytes / 1e6:0.0}");
        AnsiConsole.Write(table);
        if (json is not null)
            JsonReport.Write(json.FullName, new
            {
                model = modelName, batch = options.BatchSize, imageSize = options.ImageSize, rankPolicy = executor.RankPolicy.Name, splitMethod = executor.SplitMethod.ToString(),
                steps = options.Steps, enclaveProcess = executor.EnclaveProcess, enclaveThreads = executor.EnclaveThreads, executors = rows,
            });
    }

    private sealed record BenchRow(string Mode, double WallSeconds, double EnclaveSeconds, double VerificationShare, double WeightCheckShare, double UpdateShare,
        double AcceleratorSeconds, double BoundarySeconds, long BoundaryBytes)
    {
        public static BenchRow From(StepBenchmarkResult result)
        {
            StepTimings m = result.Median;
            return new(result.Label, m.Wall, m.Enclave, result.VerificationShare, result.WeightCheckShare, result.UpdateShare,
                m.Accelerator, m.Boundary, m.BoundaryBytes);
        }
    }
}
