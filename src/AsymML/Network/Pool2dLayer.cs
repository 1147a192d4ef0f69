namespace AsymML.Network;

/// <summary>What max and average pooling share: a square window, its stride, padding and rounding, and the
/// output-size rule.</summary>
public abstract record Pool2dLayer : Layer
{
    /// <summary>Checks and stores the window; <paramref name="stride"/> defaults to the kernel size as in PyTorch.</summary>
    /// <param name="path">Module path.</param>
    /// <param name="kernelSize">Window side.</param>
    /// <param name="stride">Step between windows (null: <paramref name="kernelSize"/>).</param>
    /// <param name="padding">Border per side, at most half the kernel.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    protected Pool2dLayer(string path, int kernelSize, int? stride, int padding, bool ceilMode) : base(path)
    {
        KernelSize = LayerChecks.Positive(kernelSize, path, nameof(kernelSize));
        Stride = LayerChecks.Positive(stride ?? kernelSize, path, nameof(stride));
        Padding = LayerChecks.NonNegative(padding, path, nameof(padding));
        if (2 * padding > kernelSize)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Layer '{path}': padding {padding} exceeds half the kernel size {kernelSize}.");
        CeilMode = ceilMode;
    }

    /// <summary>Window side.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Border per side.</summary>
    public int Padding { get; }

    /// <summary>Round output sizes up.</summary>
    public bool CeilMode { get; }

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
