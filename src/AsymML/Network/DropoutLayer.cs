namespace AsymML.Network;

/// <summary>Dropout (<c>nn.Dropout</c>): zeroes elements with probability <see cref="P"/> in training and scales the
/// rest by 1/(1 − p); the identity in evaluation. Any shape, no parameters.</summary>
public sealed record DropoutLayer : Layer
{
    /// <summary>Creates a dropout with drop probability <paramref name="p"/> in [0, 1].</summary>
    public DropoutLayer(string path, double p = 0.5) : base(path)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Layer '{path}': the drop probability must be in [0, 1], got {p}.");
        P = p;
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <inheritdoc />
    public override string Kind => "Dropout";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input) => input;
}
