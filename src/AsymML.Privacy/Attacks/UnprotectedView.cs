using AsymML.Data;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// The baselines' side: what the host would hold if nothing were protected — the layer inputs X themselves, and the
/// gradients and dY of a training step computed in the clear with the same public weights. Trusted analysis code
/// (it reads the private images), never part of the host's view.
/// </summary>
public static class UnprotectedView
{
    /// <summary>The input X [n, N, H, W] of each layer of <paramref name="layers"/> for every image of
    /// <paramref name="images"/>, in evaluation mode (as an inference step), normalised as the enclave does.</summary>
    public static Dictionary<string, Tensor> LayerInputs(AttackScenario scenario, LabeledImages images, IReadOnlyList<string> layers, int batchSize = 100)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(layers);
        Normalization normalization = scenario.Normalization();
        using var replica = new NetworkReplica(scenario.Spec, scenario.Weights);
        replica.Train(false);
        var parts = layers.ToDictionary(l => l, _ => new List<Tensor>(), StringComparer.Ordinal);
        using (no_grad())
            for (int start = 0; start < images.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                long[] indices = ImageSets.Range(start, Math.Min(batchSize, images.Count - start));
                (Tensor input, _) = ImageBatches.Make(images, indices, normalization);
                var inputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                replica.Forward(input, layers.ToHashSet(), new HashSet<string>(), inputs, []);
                foreach (string layer in layers)
                    parts[layer].Add(inputs.TryGetValue(layer, out Tensor? x)
                        ? x.clone().DetachFromDisposeScope()
                        : throw new ArgumentException($"'{layer}' is not a layer of {scenario.Spec.Name}.", nameof(layers)));
            }
        return parts.ToDictionary(p => p.Key, p => Concatenate(p.Value), StringComparer.Ordinal);
    }

    /// <summary>The batch-summed gradients (by parameter name) and dY of <paramref name="outputLayers"/> of one
    /// training step on <paramref name="input"/> (normalised) with <paramref name="labels"/>, in training mode, computed
    /// in the clear from <paramref name="weights"/>.</summary>
    public static (Dictionary<string, Tensor> Gradients, Dictionary<string, Tensor> OutputGradients) TrainingStep(
        NetworkSpec spec, StateDict weights, Tensor input, Tensor labels, IReadOnlyList<string> outputLayers)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        using var replica = new NetworkReplica(spec, weights);
        replica.Train(true);
        using var scope = NewDisposeScope();
        (Tensor[] gradients, Dictionary<string, Tensor> dy, _) = replica.Gradients(input, labels, outputLayers, createGraph: false);
        var named = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < gradients.Length; i++)
            named[replica.ParameterNames[i]] = gradients[i].detach().clone().DetachFromDisposeScope();
        return (named, dy.ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal));
    }

    private static Tensor Concatenate(List<Tensor> parts)
    {
        Tensor all = cat(parts, 0).DetachFromDisposeScope();
        foreach (Tensor p in parts) p.Dispose();
        return all;
    }
}
