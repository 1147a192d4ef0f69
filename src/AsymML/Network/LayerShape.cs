namespace AsymML.Network;

/// <summary>The per-sample input and output shapes of one layer of a network (from <see cref="NetworkSpec.InferShapes(int, int)"/>).</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Input">Its per-sample input shape.</param>
/// <param name="Output">Its per-sample output shape.</param>
public sealed record LayerShape(Layer Layer, ActivationShape Input, ActivationShape Output);
