namespace AsymML.Network;

/// <summary>Average pooling with a square window (<c>nn.AvgPool2d</c>, no divisor override).</summary>
public sealed record AvgPool2dLayer : Layer
{
    /// <summary>Creates an average pool; <paramref name="stride"/> defaults to the kernel size as in PyTorch.</summary>
    /// <param name="path">Module path.</param>
    /// <param name="kernelSize">Window side.</param>
    /// <param name="stride">Step between windows (null: <paramref name="kernelSize"/>).</param>
    /// <param name="padding">Zero border per side, at most half the kernel.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor.</param>
    public AvgPool2dLayer(string path, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
        : base(path)
    {
        KernelSize = LayerChecks.Positive(kernelSize, path, nameof(kernelSize));
        Stride = LayerChecks.Positive(stride ?? kernelSize, path, nameof(stride));
        Padding = LayerChecks.NonNegative(padding, path, nameof(padding));
        if (2 * padding > kernelSize)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Layer '{path}': padding {padding} exceeds half the kernel size {kernelSize}.");
        CeilMode = ceilMode;
        CountIncludePad = countIncludePad;
    }

    /// <summary>Window side.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zero border per side.</summary>
    public int Padding { get; }

    /// <summary>Round output sizes up.</summary>
    public bool CeilMode { get; }

    /// <summary>Padded zeros count in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    public override string Kind => "AvgPool2d";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireMap(input, null);
        int height = LayerChecks.PoolOutput(input.Height, KernelSize, Stride, Padding, CeilMode);
        int width = LayerChecks.PoolOutput(input.Width, KernelSize, Stride, Padding, CeilMode);
        if (height <= 0 || width <= 0)
            throw Mismatch(input, $"has a {KernelSize}×{KernelSize} window that does not fit the map");
        return ActivationShape.Map(input.Channels, height, width);
    }
}
