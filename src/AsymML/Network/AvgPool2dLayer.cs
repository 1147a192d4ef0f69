namespace AsymML.Network;

/// <summary>Average pooling with a square window (<c>nn.AvgPool2d</c>, no divisor override); padding is zeros.</summary>
public sealed record AvgPool2dLayer : Pool2dLayer
{
    /// <summary>Creates an average pool; <paramref name="stride"/> defaults to the kernel size as in PyTorch.</summary>
    /// <param name="path">Module path.</param>
    /// <param name="kernelSize">Window side.</param>
    /// <param name="stride">Step between windows (null: <paramref name="kernelSize"/>).</param>
    /// <param name="padding">Zero border per side, at most half the kernel.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor.</param>
    public AvgPool2dLayer(string path, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
        : base(path, kernelSize, stride, padding, ceilMode)
    {
        CountIncludePad = countIncludePad;
    }

    /// <summary>Padded zeros count in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    public override string Kind => "AvgPool2d";
}
