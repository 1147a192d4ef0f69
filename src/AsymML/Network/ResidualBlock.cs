namespace AsymML.Network;

/// <summary>
/// A residual block as torchvision's <c>BasicBlock</c>: <c>relu(body(x) + shortcut(x))</c>. The shortcut is the
/// identity when <see cref="Shortcut"/> is empty, else a projection such as <c>downsample.0</c> (1×1 conv) and
/// <c>downsample.1</c> (BatchNorm). The ReLU after the addition is part of the block and has no path of its own.
/// Blocks do not nest. Equality compares the layer lists element by element.
/// </summary>
public sealed record ResidualBlock : Layer
{
    private readonly Layer[] _body;
    private readonly Layer[] _shortcut;

    /// <summary>Creates a block at <paramref name="path"/> (e.g. <c>layer2.0</c>).</summary>
    /// <param name="path">Module path of the block; its layers' paths normally start with it.</param>
    /// <param name="body">The main branch, at least one layer, no residual blocks.</param>
    /// <param name="shortcut">The projection branch; empty for the identity.</param>
    public ResidualBlock(string path, IEnumerable<Layer> body, IEnumerable<Layer>? shortcut = null) : base(path)
    {
        ArgumentNullException.ThrowIfNull(body);
        _body = body.ToArray();
        _shortcut = shortcut?.ToArray() ?? [];
        if (_body.Length == 0)
            throw new ArgumentException($"Residual block '{path}' needs at least one layer in its body.", nameof(body));
        if (_body.Concat(_shortcut).FirstOrDefault(l => l is null || l is ResidualBlock) is { } bad)
            throw new ArgumentException($"Residual block '{path}' contains another residual block '{bad.Path}'; blocks do not nest.", nameof(body));
    }

    /// <summary>The main branch, in execution order.</summary>
    public IReadOnlyList<Layer> Body => _body;

    /// <summary>The shortcut branch, in execution order; empty for the identity.</summary>
    public IReadOnlyList<Layer> Shortcut => _shortcut;

    /// <summary>True when the shortcut is the identity.</summary>
    public bool IsIdentityShortcut => _shortcut.Length == 0;

    /// <inheritdoc />
    public override string Kind => "Residual";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input)
    {
        ActivationShape main = _body.Aggregate(input, (shape, layer) => layer.OutputShape(shape));
        ActivationShape side = _shortcut.Aggregate(input, (shape, layer) => layer.OutputShape(shape));
        if (main != side)
            throw Mismatch(input, $"adds a body output {main} to a shortcut output {side}");
        return main;
    }

    /// <inheritdoc />
    public override IEnumerable<ParameterEntry> Parameters() => _body.Concat(_shortcut).SelectMany(l => l.Parameters());

    /// <summary>Value equality: same path and equal layers in both branches.</summary>
    public bool Equals(ResidualBlock? other) =>
        other is not null && Path == other.Path && _body.SequenceEqual(other._body) && _shortcut.SequenceEqual(other._shortcut);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Path);
        foreach (Layer layer in _body) hash.Add(layer);
        hash.Add(_shortcut.Length);
        foreach (Layer layer in _shortcut) hash.Add(layer);
        return hash.ToHashCode();
    }

    /// <summary>E.g. <c>Residual layer2.0 { body: 5 layers, shortcut: layer2.0.downsample.0, layer2.0.downsample.1 }</c>.</summary>
    public override string ToString() =>
        $"Residual {Path} {{ body: {string.Join(", ", _body.Select(l => l.Path))}; shortcut: {(IsIdentityShortcut ? "identity" : string.Join(", ", _shortcut.Select(l => l.Path)))} }}";
}
