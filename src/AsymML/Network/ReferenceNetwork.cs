using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Network;

/// <summary>
/// The oracle: a plain TorchSharp module that executes a <see cref="NetworkSpec"/> with ordinary layers and autograd.
/// Its parameter and buffer names are the spec's (<c>features.0.weight</c>, <c>layer1.0.downsample.1.running_var</c>,
/// …), so a <see cref="StateDict"/> moves between it, the split engine and torchvision models unchanged. Residual
/// blocks run as <c>relu(body(x) + shortcut(x))</c>; ReLUs are not in-place.
/// </summary>
public sealed class ReferenceNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] _steps;
    private readonly ModuleTree _tree;

    /// <summary>Builds the modules of <paramref name="spec"/> with TorchSharp's default initialisation (load weights
    /// with <see cref="StateDict.CopyTo"/> or use the other constructor).</summary>
    public ReferenceNetwork(NetworkSpec spec) : this(spec, initialize: true) { }

    /// <summary>Builds the modules of <paramref name="spec"/> and copies <paramref name="weights"/> into them
    /// (names, shapes and types must match exactly).</summary>
    public ReferenceNetwork(NetworkSpec spec, StateDict weights) : this(spec, initialize: false)
    {
        LoadOrDispose(weights);
    }

    /// <summary>Builds the modules of <paramref name="spec"/> with <paramref name="convolutions"/> creating each
    /// convolution's module (the split engine's trusted convolutions: their parameters must be named
    /// <c>weight</c> and <c>bias</c>), then copies <paramref name="weights"/> in.</summary>
    public ReferenceNetwork(NetworkSpec spec, StateDict weights, Func<Conv2dLayer, nn.Module<Tensor, Tensor>> convolutions)
        : this(spec, initialize: false, convolutions ?? throw new ArgumentNullException(nameof(convolutions)))
    {
        LoadOrDispose(weights);
    }

    private ReferenceNetwork(NetworkSpec spec, bool initialize, Func<Conv2dLayer, nn.Module<Tensor, Tensor>>? convolutions = null)
        : base(spec?.Name ?? throw new ArgumentNullException(nameof(spec)))
    {
        Spec = spec;
        _tree = new ModuleTree(this);
        _steps = spec.Layers.Select(layer => ReferenceModules.Build(layer, _tree, initialize, convolutions)).ToArray();
    }

    private void LoadOrDispose(StateDict weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        try
        {
            MatchFloatType(weights);
            weights.CopyTo(this);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs in the floating type of <paramref name="weights"/> (float32 normally; float64 for exactness checks).</summary>
    private void MatchFloatType(StateDict weights)
    {
        if (weights.FloatType != ScalarType.Float32)
            this.to(weights.FloatType);
    }

    /// <summary>The description this module executes.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The module at <paramref name="path"/> (a layer, a residual block or a container such as <c>features</c>).</summary>
    public nn.Module ModuleAt(string path) => _tree.Nodes.TryGetValue(path, out nn.Module? module) && path.Length > 0
        ? module
        : throw new KeyNotFoundException($"Network '{Spec.Name}' has no module '{path}'.");

    /// <summary>Runs the network on a [B, C, H, W] batch.</summary>
    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor output = ReferenceModules.Run(_steps, input);
        return ReferenceEquals(output, input) ? output : output.MoveToOuterDisposeScope();
    }
}
