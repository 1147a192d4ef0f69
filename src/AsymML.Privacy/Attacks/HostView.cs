using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;
using AsymML.Convolution;
using AsymML.Execution;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// The attacker's view, taken from the transcript of a real executor: only messages that reached the host are read
/// (<see cref="BoundarySide.Host"/>); what the host itself sent (in the in-process emulation that includes plaintext
/// batches, which a real deployment seals) is never looked at.
/// </summary>
public static class HostView
{
    /// <summary>Splits the host-bound messages of <paramref name="transcript"/> into steps (each ends with its
    /// <see cref="MessageKind.StepResult"/>) and copies their tensors out.</summary>
    /// <param name="transcript">A transcript made with <c>keepTensors: true</c> at the host's end of the channel.</param>
    /// <param name="spec">The network (public): names the received gradients, which arrive in its parameter order.</param>
    /// <param name="reports">The host's report of each step, in order (the loss the step returned).</param>
    /// <exception cref="ArgumentException">The transcript kept no tensors, or its steps do not match the reports.</exception>
    /// <exception cref="InvalidDataException">A message does not fit the network.</exception>
    public static IReadOnlyList<HostStepView> Read(BoundaryTranscript transcript, NetworkSpec spec, IReadOnlyList<StepReport> reports)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(reports);
        if (!transcript.KeepTensors)
            throw new ArgumentException("The attacks need the tensors: record with new BoundaryTranscript(keepTensors: true).", nameof(transcript));
        string[] parameterNames = spec.Parameters.Where(p => !p.IsBuffer).Select(p => p.Name).ToArray();
        Dictionary<string, Conv2dLayer> convolutions = spec.AllLayers().OfType<Conv2dLayer>().ToDictionary(c => c.Path);
        var steps = new List<HostStepView>();
        var residuals = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var outputGradients = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var received = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (TranscriptEntry entry in transcript.Entries.Where(e => e.To == BoundarySide.Host))
            {
                switch (entry.Kind)
                {
                    case MessageKind.ConvForward:
                        Add(residuals, entry.Layer, entry.Tensors[0].clone(), "residual");
                        break;
                    case MessageKind.ConvBackward:
                        Add(outputGradients, entry.Layer, entry.Tensors[0].clone(), "output gradient");
                        break;
                    case MessageKind.WeightGradients:
                        if (entry.Tensors.Count != parameterNames.Length)
                            throw new InvalidDataException($"The host received {entry.Tensors.Count} gradients; '{spec.Name}' has {parameterNames.Length} parameters.");
                        for (int i = 0; i < parameterNames.Length; i++)
                            Add(received, parameterNames[i], entry.Tensors[i].clone(), "gradient");
                        break;
                    case MessageKind.StepResult:
                        if (steps.Count >= reports.Count)
                            throw new ArgumentException($"The transcript holds more steps than the {reports.Count} reports given.", nameof(reports));
                        steps.Add(Finish(residuals, outputGradients, received, convolutions, parameterNames, reports[steps.Count]));
                        (residuals, outputGradients, received) = (new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
                        break;
                }
            }
            if (steps.Count != reports.Count)
                throw new ArgumentException($"The transcript holds {steps.Count} finished steps, but {reports.Count} reports were given.", nameof(reports));
            return steps;
        }
        catch
        {
            foreach (Tensor t in residuals.Values.Concat(outputGradients.Values).Concat(received.Values)) t.Dispose();
            foreach (HostStepView s in steps) s.Dispose();
            throw;
        }
    }

    private static void Add(Dictionary<string, Tensor> into, string name, Tensor value, string what)
    {
        if (!into.TryAdd(name, value.DetachFromDisposeScope()))
        {
            value.Dispose();
            throw new InvalidDataException($"Two {what}s for '{name}' in one step.");
        }
    }

    /// <summary>One step's view, with the summed gradient the host's optimizer uses: the received gradient plus, for
    /// each split convolution, dW_U = grad_W(X^U, dY), the host's own computation (the accelerator's function).</summary>
    private static HostStepView Finish(Dictionary<string, Tensor> residuals, Dictionary<string, Tensor> outputGradients,
        Dictionary<string, Tensor> received, Dictionary<string, Conv2dLayer> convolutions, string[] parameterNames, StepReport report)
    {
        var summed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (received.Count > 0)
        {
            foreach (string name in parameterNames)
            {
                string layer = name.EndsWith(".weight", StringComparison.Ordinal) ? name[..^".weight".Length] : "";
                Tensor gradient = received[name];
                if (outputGradients.TryGetValue(layer, out Tensor? dy) && residuals.TryGetValue(layer, out Tensor? residual))
                {
                    using var scope = NewDisposeScope();
                    Tensor untrusted = ConvolutionGradients.WeightGradient(residual, dy, gradient.shape, ConvGeometry.Of(convolutions[layer]));
                    summed[name] = (gradient + untrusted).MoveToOuterDisposeScope().DetachFromDisposeScope();
                }
                else
                    summed[name] = gradient; // shared with the received dictionary; disposed once
            }
        }
        int batch = residuals.Values.Select(r => (int)r.shape[0]).FirstOrDefault(report.BatchSize);
        return new HostStepView(residuals, outputGradients, received, summed, report.Loss, batch);
    }
}
