using AsymML.Boundary.Session;
using AsymML.Decomposition;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Privacy.Audit;

/// <summary>
/// The enclave-private tensors of a training step, recomputed in the clear from the same weights and input (a
/// train-mode forward, as the step's; BatchNorm then uses batch statistics, so its running buffers do not matter):
/// for every split convolution its input X, its output Y and the low-rank part X^T kept inside. Each split
/// convolution is computed as the enclave merges it, conv(X^T + R, W) with R the residual that actually crossed:
/// with noise (nsr &gt; 0) the merge is not exact, and every later activation carries the noise, so a clean forward
/// would pair later crossings with tensors the enclave never held. Trusted analysis code: it plays the data owner
/// to know what the host should not learn. Dispose to free the tensors.
/// </summary>
internal sealed class PrivateForward : IDisposable
{
    private readonly Dictionary<string, (Tensor Input, Tensor Output, Tensor LowRank)> _layers = [];

    private readonly IReadOnlyDictionary<string, Tensor> _crossed;

    /// <param name="settings">The enclave's settings (network, ranks, split method).</param>
    /// <param name="weights">The weights of the step.</param>
    /// <param name="input">The step's input batch.</param>
    /// <param name="crossedResiduals">The ConvForward residual of each split convolution as the host received it.</param>
    public PrivateForward(EnclaveSettings settings, StateDict weights, Tensor input, IReadOnlyDictionary<string, Tensor> crossedResiduals)
    {
        _crossed = crossedResiduals;
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
        var module = (nn.Module<Tensor, Tensor>)model.ModuleAt(layer.Path);
        if (layer is not Conv2dLayer || !settings.Ranks.TryGetValue(layer.Path, out RankAssignment? rank) || !rank.Split)
            return module.call(x);
        // The same split the enclave makes: deterministic in its input and options.
        using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = rank.Rank, Method = settings.Method, MaxIterations = settings.MaxIterations });
        Tensor lowRank = f.LowRankPart();
        if (!_crossed.TryGetValue(layer.Path, out Tensor? residual))
            throw new InvalidDataException($"The transcript has no ConvForward of split convolution '{layer.Path}' in this step.");
        Tensor y = module.call(lowRank + residual);
        _layers[layer.Path] = (x.clone().MoveToOuterDisposeScope(), y.clone().MoveToOuterDisposeScope(), lowRank.clone().MoveToOuterDisposeScope());
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
