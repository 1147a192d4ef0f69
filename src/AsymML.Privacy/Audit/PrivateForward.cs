using AsymML.Boundary.Session;
using AsymML.Decomposition;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Privacy.Audit;

/// <summary>
/// The enclave-private tensors of a training step, recomputed in the clear from the same weights and input (a
/// train-mode forward, as the step's; BatchNorm then uses batch statistics, so its running buffers do not matter):
/// for every split convolution its input X, its output Y and the low-rank part X^T kept inside. Trusted analysis
/// code: it plays the data owner to know what the host should not learn. Dispose to free the tensors.
/// </summary>
internal sealed class PrivateForward : IDisposable
{
    private readonly Dictionary<string, (Tensor Input, Tensor Output, Tensor LowRank)> _layers = [];

    public PrivateForward(EnclaveSettings settings, StateDict weights, Tensor input)
    {
        using var scope = NewDisposeScope();
        using var model = new ReferenceNetwork(settings.Spec, weights);
        model.train();
        using var noGrad = no_grad();
        Tensor x = input;
        foreach (Layer layer in settings.Spec.Layers)
            x = Run(model, layer, x, settings);
    }

    /// <summary>X, Y and X^T of split convolution <paramref name="layer"/>.</summary>
    public (Tensor Input, Tensor Output, Tensor LowRank) this[string layer] =>
        _layers.TryGetValue(layer, out var t) ? t : throw new KeyNotFoundException($"'{layer}' is not a split convolution of this network.");

    private Tensor Run(ReferenceNetwork model, Layer layer, Tensor x, EnclaveSettings settings)
    {
        if (layer is ResidualBlock block)
        {
            Tensor body = block.Body.Aggregate(x, (a, l) => Run(model, l, a, settings));
            Tensor shortcut = block.Shortcut.Aggregate(x, (a, l) => Run(model, l, a, settings));
            return nn.functional.relu(body + shortcut);
        }
        Tensor y = ((nn.Module<Tensor, Tensor>)model.ModuleAt(layer.Path)).call(x);
        if (layer is Conv2dLayer && settings.Ranks.TryGetValue(layer.Path, out RankAssignment? rank) && rank.Split)
        {
            // The same split the enclave makes: deterministic in its input and options.
            using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = rank.Rank, Method = settings.Method, MaxIterations = settings.MaxIterations });
            _layers[layer.Path] = (x.clone().MoveToOuterDisposeScope(), y.clone().MoveToOuterDisposeScope(), f.LowRankPart().clone().MoveToOuterDisposeScope());
        }
        return y;
    }

    public void Dispose()
    {
        foreach (var (i, o, l) in _layers.Values)
        {
            i.Dispose();
            o.Dispose();
            l.Dispose();
        }
        _layers.Clear();
    }
}
