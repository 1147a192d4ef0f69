namespace AsymML.Network;

/// <summary>An activation does not fit a layer (wrong channel count, map smaller than a kernel, a map where a
/// vector is needed, a residual body and shortcut of different shapes). The message names the layer's path.</summary>
public sealed class NetworkShapeException : Exception
{
    /// <summary>Creates the error for layer <paramref name="layerPath"/> of kind <paramref name="kind"/>.</summary>
    public NetworkShapeException(string layerPath, string kind, ActivationShape input, string problem)
        : base($"Layer '{layerPath}' ({kind}) {problem}; its input is {input} (per sample). Check the layer's configuration or the input size.")
    {
        LayerPath = layerPath;
        Input = input;
    }

    /// <summary>Path of the layer that rejected its input.</summary>
    public string LayerPath { get; }

    /// <summary>The per-sample input shape the layer received.</summary>
    public ActivationShape Input { get; }
}
