namespace AsymML.Network;

/// <summary>Element-wise max(x, 0) (<c>nn.ReLU</c>); any shape, no parameters.</summary>
public sealed record ReLULayer : Layer
{
    /// <summary>Creates a ReLU at <paramref name="path"/>.</summary>
    public ReLULayer(string path) : base(path) { }

    /// <inheritdoc />
    public override string Kind => "ReLU";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input) => input;
}
