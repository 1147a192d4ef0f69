using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Session;
using AsymML.Boundary.Transcript;
using AsymML.Data;
using AsymML.Execution;
using AsymML.Training.InProcess;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// Produces the host's real view of a scenario: it runs the real split executor (enclave runtime and accelerator over
/// the boundary channel, in this process) with a transcript at the host's end, and reads back what the host received
/// (<see cref="HostView"/>). Data reach the enclave through the ordinary provisioning path: the scenario's training
/// set first (its statistics normalise every batch inside the enclave), then the set a call is about.
/// </summary>
public sealed class HostViewRecorder(AttackScenario scenario)
{
    /// <summary>Images per executor (and transcript): bounds the memory the kept tensors take.</summary>
    public int ChunkSize { get; init; } = 500;

    /// <summary>Images per inference step.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>The sizes of the inference steps <see cref="Inference"/> runs over <paramref name="count"/> images, in order.</summary>
    public IEnumerable<int> StepSizes(int count)
    {
        for (int start = 0; start < count; start += ChunkSize)
        {
            int part = Math.Min(ChunkSize, count - start);
            for (int at = 0; at < part; at += BatchSize)
                yield return Math.Min(BatchSize, part - at);
        }
    }

    /// <summary>The residual X^U [n, N, H, W] that the host received for each split convolution during inference steps
    /// over all of <paramref name="images"/>, in image order. The enclave's noise (nsr &gt; 0) is drawn by the enclave:
    /// from the scenario's noise seed (offset by <paramref name="seedOffset"/> and the chunk), or from a cryptographic
    /// source when the scenario has none. With masking, what the host received are the mixtures [K, N, H, W] instead
    /// (their groups: <see cref="MixtureGroups.Of"/> of <see cref="StepSizes"/>), also in order.</summary>
    /// <exception cref="ExecutionException">The enclave refused the data or a step failed.</exception>
    public Dictionary<string, Tensor> Inference(LabeledImages images, long seedOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        var parts = new Dictionary<string, List<Tensor>>(StringComparer.Ordinal);
        try
        {
            for (int start = 0, chunk = 0; start < images.Count; start += ChunkSize, chunk++)
            {
                LabeledImages part = ImageSets.Slice(images, start, Math.Min(ChunkSize, images.Count - start));
                using var transcript = new BoundaryTranscript(keepTensors: true);
                var reports = new List<StepReport>();
                using (IExecutor executor = Start(transcript, seedOffset + chunk))
                {
                    executor.Provision("train", new PlainDataSource(scenario.Training));
                    executor.Provision("view", new PlainDataSource(part));
                    for (int at = 0; at < part.Count; at += BatchSize)
                        reports.Add(executor.Infer("view", ImageSets.Range(at, Math.Min(BatchSize, part.Count - at))));
                }
                foreach (HostStepView step in HostView.Read(transcript, scenario.Spec, reports))
                    using (step)
                        foreach (var (layer, residual) in step.Residuals)
                        {
                            if (!parts.TryGetValue(layer, out List<Tensor>? list)) parts[layer] = list = [];
                            list.Add(residual.clone().DetachFromDisposeScope());
                        }
            }
            return parts.ToDictionary(p => p.Key, p => cat(p.Value, 0).DetachFromDisposeScope(), StringComparer.Ordinal);
        }
        finally
        {
            foreach (Tensor t in parts.Values.SelectMany(l => l)) t.Dispose();
        }
    }

    /// <summary>The host's view of one training step on samples <paramref name="indices"/> of the scenario's training
    /// set, each step from the scenario's weights (a fresh executor, so every step sees the same public weights).</summary>
    /// <exception cref="ExecutionException">The enclave refused the step (e.g. one sample of a network with BatchNorm).</exception>
    public HostStepView TrainingStep(long[] indices, long seedOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var transcript = new BoundaryTranscript(keepTensors: true);
        StepReport report;
        using (IExecutor executor = Start(transcript, seedOffset))
        {
            executor.Provision("train", new PlainDataSource(scenario.Training));
            report = executor.TrainStep("train", indices, 0);
        }
        return HostView.Read(transcript, scenario.Spec, [report]).Single();
    }

    private SplitExecutor Start(BoundaryTranscript transcript, long seedOffset)
    {
        EnclaveSettings settings = scenario.Enclave();
        if (settings.NoiseSeed is long seed)
            settings = settings with { NoiseSeed = unchecked(seed + 7919 * seedOffset) };
        // The optimizer's settings do not matter: a view ends with the step's gradients, before any update is used.
        return new SplitExecutor(settings, scenario.Weights, new OptimizerSettings(), transcript: transcript);
    }
}
