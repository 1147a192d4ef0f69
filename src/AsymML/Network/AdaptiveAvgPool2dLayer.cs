namespace AsymML.Network;

/// <summary>Adaptive average pooling to a fixed output size (<c>nn.AdaptiveAvgPool2d</c>), whatever the input size.</summary>
public sealed record AdaptiveAvgPool2dLayer : Layer
{
    /// <summary>Creates an adaptive pool with an <paramref name="outputHeight"/> × <paramref name="outputWidth"/> output.</summary>
    public AdaptiveAvgPool2dLayer(string path, int outputHeight, int outputWidth) : base(path)
    {
        OutputHeight = LayerChecks.Positive(outputHeight, path, nameof(outputHeight));
        OutputWidth = LayerChecks.Positive(outputWidth, path, nameof(outputWidth));
    }

    /// <summary>Output rows.</summary>
    public int OutputHeight { get; }

    /// <summary>Output columns.</summary>
    public int OutputWidth { get; }

    /// <inheritdoc />
    public override string Kind => "AdaptiveAvgPool2d";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireMap(input, null);
        return ActivationShape.Map(input.Channels, OutputHeight, OutputWidth);
    }
}
