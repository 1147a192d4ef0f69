using AsymML.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// A plain copy of the network with public weights, run layer by layer so that inputs and outputs of chosen layers can
/// be kept: the attacker's differentiable model (gradient inversion), and the trusted oracle of the baselines (the
/// unprotected layer inputs X and gradients computed in the clear). Owns its module.
/// </summary>
internal sealed class NetworkReplica : IDisposable
{
    private readonly ReferenceNetwork _model;

    public NetworkReplica(NetworkSpec spec, StateDict weights)
    {
        Spec = spec;
        _model = new ReferenceNetwork(spec, weights);
        var byName = _model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        ParameterNames = spec.Parameters.Where(p => !p.IsBuffer).Select(p => p.Name).ToArray();
        Parameters = ParameterNames.Select(n => byName[n]).ToArray();
    }

    public NetworkSpec Spec { get; }

    /// <summary>Trainable parameter names in the spec's order (the order of the <c>WeightGradients</c> message).</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Training mode (batch statistics in BatchNorm, as a training step) or evaluation mode.</summary>
    public void Train(bool training) => _model.train(training);

    /// <summary>Runs the network; keeps the input of each layer in <paramref name="inputsOf"/> and the output of each
    /// layer in <paramref name="outputsOf"/> (tensors of the caller's dispose scope, part of the autograd graph).</summary>
    public Tensor Forward(Tensor input, IReadOnlySet<string> inputsOf, IReadOnlySet<string> outputsOf,
        Dictionary<string, Tensor> inputs, Dictionary<string, Tensor> outputs)
    {
        Tensor x = input;
        foreach (Layer layer in Spec.Layers)
            x = Run(layer, x, inputsOf, outputsOf, inputs, outputs);
        return x;
    }

    /// <summary>The mean cross-entropy of <paramref name="input"/> with <paramref name="labels"/> and its gradients: one
    /// per parameter (in <see cref="ParameterNames"/> order) and dL/dY of each layer of <paramref name="outputLayers"/>.
    /// With <paramref name="createGraph"/> they stay differentiable (for gradient matching).</summary>
    public (Tensor[] WeightGradients, Dictionary<string, Tensor> OutputGradients, Tensor Loss) Gradients(Tensor input, Tensor labels,
        IReadOnlyList<string> outputLayers, bool createGraph)
    {
        var outputs = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        Tensor logits = Forward(input, new HashSet<string>(), outputLayers.ToHashSet(), [], outputs);
        Tensor loss = nn.functional.cross_entropy(logits, labels);
        var wrt = Parameters.Cast<Tensor>().Concat(outputLayers.Select(l => outputs[l])).ToList();
        IList<Tensor> gradients = autograd.grad([loss], wrt, retain_graph: createGraph, create_graph: createGraph);
        var dy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < outputLayers.Count; i++)
            dy[outputLayers[i]] = gradients[Parameters.Count + i];
        return (gradients.Take(Parameters.Count).ToArray(), dy, loss);
    }

    private Tensor Run(Layer layer, Tensor x, IReadOnlySet<string> inputsOf, IReadOnlySet<string> outputsOf,
        Dictionary<string, Tensor> inputs, Dictionary<string, Tensor> outputs)
    {
        if (inputsOf.Contains(layer.Path)) inputs[layer.Path] = x;
        Tensor y;
        if (layer is ResidualBlock block)
        {
            Tensor body = block.Body.Aggregate(x, (a, l) => Run(l, a, inputsOf, outputsOf, inputs, outputs));
            Tensor shortcut = block.Shortcut.Aggregate(x, (a, l) => Run(l, a, inputsOf, outputsOf, inputs, outputs));
            y = nn.functional.relu(body + shortcut);
        }
        else
            y = ((nn.Module<Tensor, Tensor>)_model.ModuleAt(layer.Path)).call(x);
        if (outputsOf.Contains(layer.Path)) outputs[layer.Path] = y;
        return y;
    }

    public void Dispose() => _model.Dispose();
}
