namespace AsymML.Network;

/// <summary>
/// One step of a <see cref="NetworkSpec"/>: an immutable description of a PyTorch-style layer, named by its
/// <see cref="Path"/> in the module tree (e.g. <c>features.0</c>, <c>layer2.0.downsample.0</c>, <c>fc</c>), so that
/// its tensors are called <c>&lt;Path&gt;.weight</c>, <c>&lt;Path&gt;.bias</c>, <c>&lt;Path&gt;.running_mean</c>, … exactly as
/// in torchvision and PyTorch state dicts. The set of layer kinds is closed (the split engine must know each one).
/// </summary>
public abstract record Layer
{
    private protected Layer(string path) => Path = LayerChecks.ValidPath(path);

    /// <summary>Dotted path of the layer in its network's module tree.</summary>
    public string Path { get; }

    /// <summary>Short kind name used in messages, e.g. <c>Conv2d</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The per-sample output shape for a per-sample <paramref name="input"/> shape (no batch dimension).</summary>
    /// <exception cref="NetworkShapeException">The input does not fit this layer; the message names <see cref="Path"/>.</exception>
    public abstract ActivationShape OutputShape(ActivationShape input);

    /// <summary>The parameters and buffers of this layer (and of its children), in PyTorch state-dict order.</summary>
    public virtual IEnumerable<ParameterEntry> Parameters() => [];

    /// <summary>A shape error that names this layer.</summary>
    private protected NetworkShapeException Mismatch(ActivationShape input, string problem) => new(Path, Kind, input, problem);

    /// <summary>Requires a [C, H, W] input with <paramref name="channels"/> channels (any when null).</summary>
    private protected void RequireMap(ActivationShape input, int? channels)
    {
        if (!input.IsMap)
            throw Mismatch(input, "expects a [C, H, W] feature map");
        if (channels is int c && input.Channels != c)
            throw Mismatch(input, $"expects {c} input channels, got {input.Channels}");
    }
}
