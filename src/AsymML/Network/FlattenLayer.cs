namespace AsymML.Network;

/// <summary>Flattens each sample to a vector (<c>nn.Flatten()</c>, i.e. start_dim 1, end_dim −1).</summary>
public sealed record FlattenLayer : Layer
{
    /// <summary>Creates a flatten at <paramref name="path"/>.</summary>
    public FlattenLayer(string path) : base(path) { }

    /// <inheritdoc />
    public override string Kind => "Flatten";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input)
    {
        long count = input.ElementCount;
        if (count > int.MaxValue)
            throw Mismatch(input, "would produce more than 2^31 features");
        return ActivationShape.Vector((int)count);
    }
}
