using AsymML.Execution;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Training;

/// <summary>Per-step training times of several executors side by side in one process, on the same synthetic batch
/// and the same initial weights: the figures of <c>asymml bench</c>.</summary>
public static class StepBenchmark
{
    /// <summary>For each mode: one warm-up step (allocator, TorchScript compilation), then the measured steps. When the
    /// executor options mask (<see cref="ExecutorOptions.Mask"/>), AsymML runs twice, unmasked and masked (the masked
    /// row comes right after the unmasked one), with their steps interleaved so that the machine's load drifts alike
    /// for both.</summary>
    /// <param name="options">Network, batch, steps and executors.</param>
    /// <param name="starting">Called before each executor is made (for progress).</param>
    /// <returns>One result per mode, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    /// <exception cref="ExecutionException">An executor could not start, or a step failed.</exception>
    public static IReadOnlyList<StepBenchmarkResult> Run(StepBenchmarkOptions options, Action<ExecutionMode>? starting = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchNorm needs batches of at least 2 samples.");
        if (options.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "Measure at least one step.");
        if (options.Classes < 2) throw new ArgumentOutOfRangeException(nameof(options), options.Classes, "A classifier needs at least 2 classes.");
        NetworkSpec spec = options.Spec;
        using StateDict initial = StateDict.Initialize(spec, seed: 1);
        using Tensor input = randn(options.BatchSize, spec.InputChannels, options.ImageSize, options.ImageSize);
        using Tensor labels = randint(0, options.Classes, [options.BatchSize]);
        var results = new List<StepBenchmarkResult>();
        foreach (ExecutionMode mode in options.ModesToRun)
        {
            starting?.Invoke(mode);
            ExecutorOptions unmasked = options.Executor with { Mode = mode, Mask = null };
            if (mode != ExecutionMode.Asym || options.Executor.Mask is null)
            {
                using IExecutor executor = Executors.Create(spec, (options.ImageSize, options.ImageSize), initial, unmasked);
                executor.TrainStep(input, labels); // warm-up
                results.Add(new StepBenchmarkResult(mode, Enumerable.Range(0, options.Steps).Select(_ => executor.TrainStep(input, labels).Timings).ToList()));
                continue;
            }
            using IExecutor plain = Executors.Create(spec, (options.ImageSize, options.ImageSize), initial, unmasked);
            using IExecutor masked = Executors.Create(spec, (options.ImageSize, options.ImageSize), initial, options.Executor with { Mode = mode });
            plain.TrainStep(input, labels);
            masked.TrainStep(input, labels);
            var (a, b) = (new List<StepTimings>(), new List<StepTimings>());
            for (int step = 0; step < options.Steps; step++)
            {
                a.Add(plain.TrainStep(input, labels).Timings);
                b.Add(masked.TrainStep(input, labels).Timings);
            }
            results.Add(new StepBenchmarkResult(mode, a));
            results.Add(new StepBenchmarkResult(mode, b) { Mask = options.Executor.Mask });
        }
        return results;
    }
}
