using System.CommandLine;
using AsymML.Accelerator;
using AsymML.Cli.Rendering;
using AsymML.Decomposition;
using AsymML.Enclave;
using AsymML.Execution;
using AsymML.Network;
using Spectre.Console;
using static TorchSharp.torch;
using AsymML.Training.InProcess;
using AsymML.Boundary.Session;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml bench</c>: per-step times of the three executors on one model, side by side in one process.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"Zoo model: {string.Join(", ", ModelZoo.Names)}.", DefaultValueFactory = _ => "vgg16_bn-cifar" };
        Option<int> size = DataOptions.Positive("--image-size", "Input height and width.", 32);
        Option<int> channels = DataOptions.Positive("--channels", "Input channels.", 3);
        Option<int> batch = DataOptions.Positive("--batch", "Batch size.", 32);
        Option<int> steps = DataOptions.Positive("--steps", "Measured training steps per executor (after one warm-up step).", 3);
        Option<string> policy = ExecutionOptions.RankPolicy();
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." };
        var enclaveProcess = new Option<bool>("--enclave-process") { Description = "Run the enclave (AsymML and TEE-only) as its own process." };
        var enclaveThreads = new Option<int?>("--enclave-threads") { Description = "Threads of the enclave process: fewer than the accelerator's emulates a slow TEE beside a fast accelerator (implies --enclave-process)." };
        var command = new Command("bench", "Per-step training times of the AsymML, TEE-only and untrusted-only executors (synthetic data), with AsymML's time split.")
        {
            model, size, channels, batch, steps, policy, json, enclaveProcess, enclaveThreads,
        };
        command.Subcommands.Add(MemoryBenchCommand.Create());
        command.SetAction(result => Run(result.GetValue(model)!, result.GetValue(size), result.GetValue(channels), result.GetValue(batch),
            result.GetValue(steps), result.GetValue(policy)!, result.GetValue(json),
            result.GetValue(enclaveProcess) || result.GetValue(enclaveThreads) is not null, result.GetValue(enclaveThreads)));
        return command;
    }

    private static int Run(string modelName, int size, int channels, int batch, int steps, string policyText, FileInfo? json,
        bool outOfProcess, int? enclaveThreads)
    {
        if (enclaveThreads is < 1)
            throw new UserErrorException($"--enclave-threads must be at least 1; got {enclaveThreads}.", 1);
        NetworkSpec spec;
        RankPolicy policy;
        try
        {
            spec = ModelZoo.Create(modelName, channels, 10, imageSize: size);
            policy = RankPolicy.Parse(policyText);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UserErrorException(e.Message);
        }
        using StateDict initial = StateDict.Initialize(spec, seed: 1);
        using Tensor input = randn(batch, channels, size, size);
        using Tensor labels = randint(0, 10, [batch]);
        var optimizer = new OptimizerSettings();
        var rows = new List<BenchRow>();
        foreach (ExecutionMode mode in new[] { ExecutionMode.Asym, ExecutionMode.TeeOnly, ExecutionMode.UntrustedOnly })
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{mode}: {steps + 1} steps of {modelName}, batch {batch}…[/]");
            EnclaveSettings? enclave = mode switch
            {
                ExecutionMode.Asym => EnclaveSettings.Split(spec, size, size, policy),
                ExecutionMode.TeeOnly => EnclaveSettings.TeeOnly(spec),
                _ => null,
            };
            using IExecutor executor = enclave is null ? new UntrustedOnlyExecutor(spec, initial, optimizer)
                : outOfProcess ? new OutOfProcessExecutor(enclave, initial, optimizer, process: new EnclaveProcessOptions { Threads = enclaveThreads })
                : new SplitExecutor(enclave, initial, optimizer);
            executor.TrainStep(input, labels); // warm-up: allocator, TorchScript compilation
            var measured = Enumerable.Range(0, steps).Select(_ => executor.TrainStep(input, labels).Timings).ToList();
            rows.Add(BenchRow.From(mode, measured));
        }
        double tee = rows.Single(r => r.Mode == nameof(ExecutionMode.TeeOnly)).WallSeconds;
        string where = outOfProcess ? $", enclave process with {(enclaveThreads?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default")} thread(s)" : "";
        var table = new Table().Title($"{modelName}, batch {batch}, {size}×{size}, rank policy {policy.Name}{where}: median of {steps} training steps")
            .AddColumns("executor", "step s", "vs TEE-only", "enclave s", "accelerator s", "boundary s", "boundary MB");
        foreach (BenchRow r in rows)
            table.AddRow(r.Mode, $"{r.WallSeconds:0.000}", $"{tee / r.WallSeconds:0.00}×", $"{r.EnclaveSeconds:0.000}",
                $"{r.AcceleratorSeconds:0.000}", $"{r.BoundarySeconds:0.000}", $"{r.BoundaryBytes / 1e6:0.0}");
        AnsiConsole.Write(table);
        if (json is not null)
            JsonReport.Write(json.FullName, new { model = modelName, batch, imageSize = size, rankPolicy = policy.Name, steps, enclaveProcess = outOfProcess, enclaveThreads, executors = rows });
        return 0;
    }

    private sealed record BenchRow(string Mode, double WallSeconds, double EnclaveSeconds, double AcceleratorSeconds, double BoundarySeconds, long BoundaryBytes)
    {
        public static BenchRow From(ExecutionMode mode, List<StepTimings> t) => new(mode.ToString(),
            Median(t.Select(x => x.Wall)), Median(t.Select(x => x.Enclave)), Median(t.Select(x => x.Accelerator)),
            Median(t.Select(x => x.Boundary)), (long)Median(t.Select(x => (double)x.BoundaryBytes)));

        private static double Median(IEnumerable<double> values)
        {
            double[] sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}
