using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Network;

/// <summary>Builds the plain TorchSharp module of each layer kind for <see cref="ReferenceNetwork"/>.</summary>
internal static class ReferenceModules
{
    /// <summary>Creates the module of <paramref name="layer"/> and registers it (and, for a residual block, its
    /// branches) in <paramref name="tree"/> under the layer's path.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="tree">Where to register.</param>
    /// <param name="initialize">False when weights will be copied in at once: large Linear matrices are then left
    /// uninitialised instead of drawn (which costs seconds for VGG's 100 M-entry classifier).</param>
    /// <param name="convolutions">Optional: creates the module of each convolution instead of <c>nn.Conv2d</c>.</param>
    public static nn.Module<Tensor, Tensor> Build(Layer layer, ModuleTree tree, bool initialize,
        Func<Conv2dLayer, nn.Module<Tensor, Tensor>>? convolutions = null)
    {
        if (layer is ResidualBlock block)
        {
            var residual = new ResidualModule(block.Path);
            tree.Register(block.Path, residual);
            residual.SetBranches(
                block.Body.Select(l => Build(l, tree, initialize, convolutions)).ToArray(),
                block.Shortcut.Select(l => Build(l, tree, initialize, convolutions)).ToArray());
            return residual;
        }
        nn.Module<Tensor, Tensor> module = layer switch
        {
            Conv2dLayer conv when convolutions is not null => convolutions(conv),
            LinearLayer linear when !initialize => Uninitialised(linear),
            _ => Create(layer),
        };
        tree.Register(layer.Path, module);
        return module;
    }

    /// <summary>Runs <paramref name="modules"/> in order; the identity when there are none.</summary>
    public static Tensor Run(IEnumerable<nn.Module<Tensor, Tensor>> modules, Tensor input)
    {
        Tensor x = input;
        foreach (nn.Module<Tensor, Tensor> module in modules)
            x = module.call(x);
        return x;
    }

    /// <summary>A Linear built on the meta device (no memory, no drawing), then given empty CPU parameters.</summary>
    private static TorchSharp.Modules.Linear Uninitialised(LinearLayer linear)
    {
        TorchSharp.Modules.Linear module = nn.Linear(linear.InFeatures, linear.OutFeatures, linear.HasBias, device: META);
        module.weight = new TorchSharp.Modules.Parameter(empty(linear.OutFeatures, linear.InFeatures));
        if (linear.HasBias)
            module.bias = new TorchSharp.Modules.Parameter(empty(linear.OutFeatures));
        return module;
    }

    private static nn.Module<Tensor, Tensor> Create(Layer layer) => layer switch
    {
        Conv2dLayer c => nn.Conv2d(c.InChannels, c.OutChannels, (c.KernelHeight, c.KernelWidth),
            stride: (c.StrideHeight, c.StrideWidth), padding: (c.PaddingHeight, c.PaddingWidth),
            dilation: (c.Dilation, c.Dilation), bias: c.HasBias),
        BatchNorm2dLayer b => nn.BatchNorm2d(b.Channels, eps: b.Eps, momentum: b.Momentum, affine: b.Affine, track_running_stats: true),
        ReLULayer => nn.ReLU(),
        MaxPool2dLayer m => nn.MaxPool2d(m.KernelSize, m.Stride, m.Padding, ceil_mode: m.CeilMode),
        AvgPool2dLayer a => nn.AvgPool2d(a.KernelSize, a.Stride, a.Padding, ceil_mode: a.CeilMode, count_include_pad: a.CountIncludePad),
        AdaptiveAvgPool2dLayer p => nn.AdaptiveAvgPool2d(new long[] { p.OutputHeight, p.OutputWidth }),
        FlattenLayer => nn.Flatten(),
        LinearLayer l => nn.Linear(l.InFeatures, l.OutFeatures, hasBias: l.HasBias),
        DropoutLayer d => nn.Dropout(d.P),
        _ => throw new NotSupportedException($"Layer '{layer.Path}' of kind {layer.Kind} has no reference module."),
    };
}
