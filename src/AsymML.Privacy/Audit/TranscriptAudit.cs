using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Session;
using AsymML.Boundary.Transcript;
using AsymML.Convolution;
using AsymML.Network;
using AsymML.Privacy.Estimators;
using AsymML.Training.InProcess;
using static TorchSharp.torch;

namespace AsymML.Privacy.Audit;

/// <summary>
/// An audit of everything that crosses to the host during real training steps: the steps run through the
/// in-process split executor with a <see cref="BoundaryTranscript"/> that keeps every tensor, the private tensors
/// of each step are recomputed from the same weights (<see cref="PrivateForward"/>), and every tensor the host
/// received that belongs to a split convolution is measured against the private tensor it derives from:
/// <list type="bullet">
/// <item><c>ConvForward</c>: X^U (+ noise) against the convolution's input X (the paper's Figure 7 pairing);</item>
/// <item><c>ConvBackward</c>: dY against the convolution's output Y, whose sign pattern after BatchNorm and ReLU
/// the gradient carries;</item>
/// <item><c>WeightGradients</c>: the batch-summed trusted gradient dW_T against each sample's own contribution
/// grad_W(X^T_b, dY_b) (what gradient inversion tries to isolate).</item>
/// </list>
/// Each row gives the paper's per-image figure with a half-sampling interval over images, a pooled correlation,
/// and the scores of an optional <see cref="IAttackEvaluator"/>. <c>StepResult</c> carries only batch aggregates
/// (loss, correct count, time, memory) and no tensor, so it has no row; full gradients of parameters computed
/// inside (BatchNorm, Linear) are not paired here.
/// </summary>
public static class TranscriptAudit
{
    /// <summary>Audits <see cref="AuditOptions.Steps"/> steps of <paramref name="spec"/> on consecutive batches of
    /// <paramref name="inputs"/> [n, C, H, W] (already normalised as the enclave would) and <paramref name="labels"/> [n].</summary>
    /// <exception cref="ArgumentException">Too few images for the warm-up and audited steps, or a bad setting.</exception>
    public static AuditReport Run(NetworkSpec spec, Tensor inputs, Tensor labels, AuditOptions options, IAttackEvaluator? attacks = null, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        long needed = (long)(options.WarmupSteps + options.Steps) * options.BatchSize;
        if (inputs.shape[0] < needed)
            throw new ArgumentException($"{options.WarmupSteps} warm-up and {options.Steps} audited steps of {options.BatchSize} need {needed} images; got {inputs.shape[0]}.", nameof(inputs));
        int height = (int)inputs.shape[2], width = (int)inputs.shape[3];
        EnclaveSettings settings = EnclaveSettings.Split(spec, height, width, options.RankPolicy, options.NoiseRatio, options.Seed);
        if (!settings.Ranks.Values.Any(r => r.Split))
            throw new ArgumentException($"No convolution of {spec.Name} is split under the rank policy '{options.RankPolicy.Name}': nothing crosses to audit.", nameof(options));
        var optimizer = new OptimizerSettings(LearningRate: options.LearningRate);

        using StateDict initial = StateDict.Initialize(spec, options.Seed);
        using StateDict start = Warmup(settings, initial, optimizer, inputs, labels, options, progress);
        var rows = new RowAccumulator(options);
        using var transcript = new BoundaryTranscript(keepTensors: true);
        using (var executor = new SplitExecutor(settings, start, optimizer, transcript: transcript))
        {
            for (int step = 0; step < options.Steps; step++)
            {
                progress?.Report($"audited step {step + 1} of {options.Steps}");
                using var scope = NewDisposeScope();
                long first = (long)(options.WarmupSteps + step) * options.BatchSize;
                Tensor input = inputs[TensorIndex.Slice(first, first + options.BatchSize)];
                Tensor label = labels[TensorIndex.Slice(first, first + options.BatchSize)];
                using StateDict weights = executor.ExportState();
                int before = transcript.Entries.Count;
                executor.TrainStep(input, label);
                IReadOnlyList<TranscriptEntry> entries = transcript.Entries.Skip(before).Where(e => e.To == BoundarySide.Host).ToArray();
                Dictionary<string, Tensor> residuals = entries.Where(e => e.Kind == MessageKind.ConvForward).ToDictionary(e => e.Layer, e => e.Tensors[0]);
                using var secrets = new PrivateForward(settings, weights, input, residuals);
                foreach (TranscriptEntry entry in entries)
                    foreach (AuditCrossing crossing in Crossings(entry, settings, secrets, input, step, entries, options.Include ?? ((_, _) => true)))
                        rows.Add(crossing, attacks, progress);
            }
        }
        return new AuditReport(rows.Rows());
    }

    private static StateDict Warmup(EnclaveSettings settings, StateDict initial, OptimizerSettings optimizer, Tensor inputs, Tensor labels, AuditOptions options, IProgress<string>? progress)
    {
        if (options.WarmupSteps == 0) return initial.Clone();
        using var executor = new SplitExecutor(settings, initial, optimizer);
        for (int step = 0; step < options.WarmupSteps; step++)
        {
            if (step % 10 == 0) progress?.Report($"warm-up step {step + 1} of {options.WarmupSteps}");
            using var scope = NewDisposeScope();
            long first = (long)step * options.BatchSize;
            executor.TrainStep(inputs[TensorIndex.Slice(first, first + options.BatchSize)], labels[TensorIndex.Slice(first, first + options.BatchSize)]);
        }
        return executor.ExportState();
    }

    private static IEnumerable<AuditCrossing> Crossings(TranscriptEntry entry, EnclaveSettings settings, PrivateForward secrets, Tensor input, int step,
        IReadOnlyList<TranscriptEntry> stepEntries, Func<string, MessageKind, bool> include)
    {
        if (entry.Kind != MessageKind.WeightGradients && !include(entry.Layer, entry.Kind)) yield break;
        switch (entry.Kind)
        {
            case MessageKind.ConvForward when IsSplit(settings, entry.Layer):
                yield return new AuditCrossing(entry.Layer, entry.Kind, step, entry.Tensors[0], secrets[entry.Layer].Input, input);
                break;
            case MessageKind.ConvBackward when IsSplit(settings, entry.Layer):
                yield return new AuditCrossing(entry.Layer, entry.Kind, step, entry.Tensors[0], secrets[entry.Layer].Output, input);
                break;
            case MessageKind.WeightGradients:
                // The message's tensors in order of its gradients; the names are not in the transcript, so pair by
                // shape with each split convolution's weight, in the order the enclave lists parameters.
                foreach (var (layer, gradient) in SplitWeightGradients(entry, settings).Where(g => include(g.Layer, MessageKind.WeightGradients)))
                {
                    TranscriptEntry backward = stepEntries.Single(e => e.Kind == MessageKind.ConvBackward && e.Layer == layer);
                    Tensor perSample = PerSampleTrustedGradients(secrets[layer].LowRank, backward.Tensors[0], (Conv2dLayer)settings.Spec[layer]);
                    yield return new AuditCrossing(layer, entry.Kind, step, gradient, perSample, input);
                }
                break;
        }
    }

    private static bool IsSplit(EnclaveSettings settings, string layer) => settings.Ranks.TryGetValue(layer, out var r) && r.Split;

    /// <summary>dW_T of each split convolution within a WeightGradients message. The transcript keeps tensors, not
    /// names; the enclave sends one gradient per trainable parameter in the network's parameter order, so they are
    /// paired by position and the shapes are checked.</summary>
    /// <exception cref="InvalidDataException">The message does not have one gradient of the right shape per parameter.</exception>
    internal static IEnumerable<(string Layer, Tensor Gradient)> SplitWeightGradients(TranscriptEntry entry, EnclaveSettings settings)
    {
        ParameterEntry[] parameters = settings.Spec.Parameters.Where(p => !p.IsBuffer).ToArray();
        if (parameters.Length != entry.Tensors.Count)
            throw new InvalidDataException($"WeightGradients carried {entry.Tensors.Count} tensors; {settings.Spec.Name} has {parameters.Length} trainable parameters.");
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!entry.Tensors[i].shape.SequenceEqual(parameters[i].Shape))
                throw new InvalidDataException($"Gradient {i} has shape [{string.Join(", ", entry.Tensors[i].shape)}]; parameter {parameters[i].Name} is [{string.Join(", ", parameters[i].Shape)}].");
            if (parameters[i].Role == ParameterRole.Weight && settings.Spec[parameters[i].LayerPath] is Conv2dLayer && IsSplit(settings, parameters[i].LayerPath))
                yield return (parameters[i].LayerPath, entry.Tensors[i]);
        }
    }

    /// <summary>grad_W(X^T_b, dY_b) for each sample b: [B, M, N, kh, kw]; their sum is dW_T.</summary>
    internal static Tensor PerSampleTrustedGradients(Tensor lowRank, Tensor outputGradient, Conv2dLayer conv)
    {
        long[] shape = [conv.OutChannels, conv.InChannels, conv.KernelHeight, conv.KernelWidth];
        ConvGeometry geometry = ConvGeometry.Of(conv);
        var parts = new Tensor[lowRank.shape[0]];
        for (long b = 0; b < lowRank.shape[0]; b++)
            parts[b] = ConvolutionGradients.WeightGradient(lowRank[TensorIndex.Slice(b, b + 1)], outputGradient[TensorIndex.Slice(b, b + 1)], shape, geometry);
        return stack(parts);
    }
}
