using AsymML.Decomposition;

namespace AsymML.Network;

/// <summary>
/// An immutable description of a CNN as a list of <see cref="Layer"/>s executed in order, the input of the split
/// engine (which walks it layer by layer) and of <see cref="ReferenceNetwork"/> (the plain TorchSharp oracle). Layer
/// paths are unique and form a module tree, so parameter names are PyTorch's (see <see cref="Parameters"/>).
/// Equality compares name, input channels and layers.
/// </summary>
public sealed class NetworkSpec : IEquatable<NetworkSpec>
{
    private readonly Layer[] _layers;
    private readonly Dictionary<string, Layer> _byPath = new(StringComparer.Ordinal);
    private readonly ParameterEntry[] _parameters;

    /// <summary>Creates a spec and checks that its paths are unique and tree-shaped (no layer path is a prefix
    /// <c>path.</c> of another, except a residual block's of its own layers).</summary>
    /// <param name="name">Display name, e.g. <c>vgg16_bn-cifar</c>.</param>
    /// <param name="inputChannels">C of the [C, H, W] input images.</param>
    /// <param name="layers">The layers in execution order.</param>
    public NetworkSpec(string name, int inputChannels, IEnumerable<Layer> layers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(layers);
        if (inputChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, $"Network '{name}': input channels must be positive.");
        Name = name;
        InputChannels = inputChannels;
        _layers = layers.ToArray();
        if (_layers.Length == 0)
            throw new ArgumentException($"Network '{name}' has no layers.", nameof(layers));
        if (_layers.Any(l => l is null))
            throw new ArgumentException($"Network '{name}' has a null layer.", nameof(layers));
        foreach (Layer layer in AllLayers())
            if (!_byPath.TryAdd(layer.Path, layer))
                throw new ArgumentException($"Network '{name}': two layers share the path '{layer.Path}'.", nameof(layers));
        foreach (Layer layer in _byPath.Values)
        {
            if (layer is ResidualBlock) continue;
            string prefix = layer.Path + ".";
            if (_byPath.Keys.FirstOrDefault(p => p.StartsWith(prefix, StringComparison.Ordinal)) is { } child)
                throw new ArgumentException($"Network '{name}': layer '{child}' would be a child of the {layer.Kind} layer '{layer.Path}', which cannot hold modules.", nameof(layers));
        }
        _parameters = _layers.SelectMany(l => l.Parameters()).ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterEntry entry in _parameters)
            if (!names.Add(entry.Name))
                throw new ArgumentException($"Network '{name}': the parameter name '{entry.Name}' occurs twice.", nameof(layers));
    }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>C of the [C, H, W] input.</summary>
    public int InputChannels { get; }

    /// <summary>Top-level layers in execution order (residual blocks hold their own layers).</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Every state-dict entry (parameters and BatchNorm buffers) in PyTorch's order.</summary>
    public IReadOnlyList<ParameterEntry> Parameters => _parameters;

    /// <summary>Number of trainable scalars (buffers excluded).</summary>
    public long TrainableParameterCount => _parameters.Where(p => !p.IsBuffer).Sum(p => p.ElementCount);

    /// <summary>All layers in execution order, residual blocks before their body and then their shortcut.</summary>
    public IEnumerable<Layer> AllLayers()
    {
        foreach (Layer layer in _layers)
        {
            yield return layer;
            if (layer is ResidualBlock block)
                foreach (Layer inner in block.Body.Concat(block.Shortcut))
                    yield return inner;
        }
    }

    /// <summary>The layer at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such layer.</exception>
    public Layer this[string path] => _byPath.TryGetValue(path, out Layer? layer)
        ? layer
        : throw new KeyNotFoundException($"Network '{Name}' has no layer '{path}'.");

    /// <summary>Looks a layer up by path.</summary>
    public bool TryGetLayer(string path, out Layer? layer) => _byPath.TryGetValue(path, out layer);

    /// <summary>Shapes of every layer (order of <see cref="AllLayers"/>) for a <see cref="InputChannels"/> ×
    /// <paramref name="height"/> × <paramref name="width"/> input.</summary>
    /// <exception cref="NetworkShapeException">A layer does not fit its input; the message names it.</exception>
    public IReadOnlyList<LayerShape> InferShapes(int height, int width) => InferShapes(ActivationShape.Map(InputChannels, height, width));

    /// <summary>Shapes of every layer (order of <see cref="AllLayers"/>) for a per-sample <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">The input is not a map with <see cref="InputChannels"/> channels.</exception>
    /// <exception cref="NetworkShapeException">A layer does not fit its input; the message names it.</exception>
    public IReadOnlyList<LayerShape> InferShapes(ActivationShape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.IsMap || input.Channels != InputChannels)
            throw new ArgumentException($"Network '{Name}' takes [{InputChannels}, H, W] images, not {input}.", nameof(input));
        var shapes = new List<LayerShape>();
        ActivationShape current = input;
        foreach (Layer layer in _layers)
        {
            if (layer is ResidualBlock block)
            {
                int at = shapes.Count;
                shapes.Add(null!); // the block's own entry, filled once its output is known
                ActivationShape main = Walk(block.Body, current, shapes);
                ActivationShape side = Walk(block.Shortcut, current, shapes);
                ActivationShape output = main == side ? main : block.OutputShape(current); // the latter throws with the block's path
                shapes[at] = new LayerShape(block, current, output);
                current = output;
            }
            else
            {
                current = Walk([layer], current, shapes);
            }
        }
        return shapes;
    }

    /// <summary>The per-sample output (e.g. logits [classes]) for <paramref name="height"/> × <paramref name="width"/> inputs.</summary>
    public ActivationShape OutputShape(int height, int width) =>
        _layers.Aggregate(ActivationShape.Map(InputChannels, height, width), (shape, layer) => layer.OutputShape(shape));

    /// <summary>
    /// All convolutions in execution order with their input geometry and the paper's stage: 0 at the first
    /// convolution, +1 at every following top-level convolution (VGG-like networks) and +1 per residual block, whose
    /// convolutions (projection included) all share the block's stage.
    /// </summary>
    /// <exception cref="NotSupportedException">A convolution is not square (<see cref="ConvLayerShape"/> describes square ones).</exception>
    public IReadOnlyList<ConvLayerShape> Convolutions(int height, int width)
    {
        Dictionary<Layer, LayerShape> shapes = InferShapes(height, width).ToDictionary<LayerShape, Layer>(s => s.Layer, ReferenceEqualityComparer.Instance);
        var result = new List<ConvLayerShape>();
        int stage = -1;
        foreach (Layer layer in _layers)
        {
            IEnumerable<Conv2dLayer> convs = layer switch
            {
                Conv2dLayer conv => [conv],
                ResidualBlock block => block.Body.Concat(block.Shortcut).OfType<Conv2dLayer>(),
                _ => [],
            };
            bool first = true;
            foreach (Conv2dLayer conv in convs)
            {
                if (first) stage++;
                first = false;
                if (!conv.IsSquare)
                    throw new NotSupportedException($"Convolution '{conv.Path}' has kernel {conv.KernelHeight}×{conv.KernelWidth}, stride {conv.StrideHeight}×{conv.StrideWidth}, padding {conv.PaddingHeight}×{conv.PaddingWidth}; ConvLayerShape describes square convolutions only.");
                ActivationShape input = shapes[conv].Input;
                result.Add(new ConvLayerShape(conv.Path, conv.InChannels, conv.OutChannels, conv.KernelHeight, conv.StrideHeight,
                    conv.PaddingHeight, input.Height, input.Width, stage));
            }
        }
        return result;
    }

    /// <inheritdoc />
    public bool Equals(NetworkSpec? other) =>
        other is not null && Name == other.Name && InputChannels == other.InputChannels && _layers.SequenceEqual(other._layers);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NetworkSpec);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, InputChannels, _layers.Length, _layers[0]);

    /// <summary>E.g. <c>resnet18 (3 input channels, 14 layers, 11,689,512 parameters)</c>.</summary>
    public override string ToString() => $"{Name} ({InputChannels} input channels, {_layers.Length} top-level layers, {TrainableParameterCount:N0} parameters)";

    private static ActivationShape Walk(IEnumerable<Layer> layers, ActivationShape input, List<LayerShape> shapes)
    {
        ActivationShape current = input;
        foreach (Layer layer in layers)
        {
            ActivationShape output = layer.OutputShape(current);
            shapes.Add(new LayerShape(layer, current, output));
            current = output;
        }
        return current;
    }
}
