namespace AsymML.Network;

/// <summary>A fully connected layer (<c>nn.Linear</c>) on a flat vector. State-dict entries: <c>weight</c>
/// [out, in] and, with a bias, <c>bias</c> [out].</summary>
public sealed record LinearLayer : Layer
{
    /// <summary>Creates a linear layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    public LinearLayer(string path, int inFeatures, int outFeatures, bool hasBias = true) : base(path)
    {
        InFeatures = LayerChecks.Positive(inFeatures, path, nameof(inFeatures));
        OutFeatures = LayerChecks.Positive(outFeatures, path, nameof(outFeatures));
        HasBias = hasBias;
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool HasBias { get; }

    /// <inheritdoc />
    public override string Kind => "Linear";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input)
    {
        if (input.IsMap)
            throw Mismatch(input, "expects a flat vector; put a Flatten before it");
        if (input.Features != InFeatures)
            throw Mismatch(input, $"expects {InFeatures} input features, got {input.Features}");
        return ActivationShape.Vector(OutFeatures);
    }

    /// <inheritdoc />
    public override IEnumerable<ParameterEntry> Parameters()
    {
        yield return ParameterEntry.For(Path, ParameterRole.Weight, OutFeatures, InFeatures);
        if (HasBias)
            yield return ParameterEntry.For(Path, ParameterRole.Bias, OutFeatures);
    }
}
