using AsymML.Execution;
using AsymML.Network;

namespace AsymML.Training;

/// <summary>What <see cref="StepBenchmark.Run"/> measures. Immutable.</summary>
/// <param name="Spec">The network.</param>
/// <param name="ImageSize">Height and width of the synthetic images (channels: the network's input channels).</param>
/// <param name="BatchSize">Samples per step (at least 2: BatchNorm).</param>
/// <param name="Steps">Measured training steps per executor, after one warm-up step (at least 1).</param>
/// <param name="Classes">Labels are drawn from 0 … Classes − 1 (the network's outputs).</param>
/// <param name="Executor">How to run each executor; its <see cref="ExecutorOptions.Mode"/> is replaced by each of
/// <paramref name="Modes"/> in turn.</param>
/// <param name="Modes">The executors to compare, in order; null for AsymML, TEE-only and untrusted-only.</param>
public sealed record StepBenchmarkOptions(NetworkSpec Spec, int ImageSize, int BatchSize, int Steps, int Classes, ExecutorOptions Executor,
    IReadOnlyList<ExecutionMode>? Modes = null)
{
    /// <summary>The modes measured.</summary>
    public IReadOnlyList<ExecutionMode> ModesToRun => Modes ?? [ExecutionMode.Asym, ExecutionMode.TeeOnly, ExecutionMode.UntrustedOnly];
}
