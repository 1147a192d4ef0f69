namespace AsymML.Network;

/// <summary>Max pooling with a square window (<c>nn.MaxPool2d</c>, dilation 1); padding counts as −∞.</summary>
public sealed record MaxPool2dLayer : Pool2dLayer
{
    /// <summary>Creates a max-pool; <paramref name="stride"/> defaults to the kernel size as in PyTorch.</summary>
    /// <param name="path">Module path.</param>
    /// <param name="kernelSize">Window side.</param>
    /// <param name="stride">Step between windows (null: <paramref name="kernelSize"/>).</param>
    /// <param name="padding">Implicit −∞ border per side, at most half the kernel.</param>
    /// <param name="ceilMode">Round the output size up instead of down.</param>
    public MaxPool2dLayer(string path, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false)
        : base(path, kernelSize, stride, padding, ceilMode)
    {
    }

    /// <inheritdoc />
    public override string Kind => "MaxPool2d";
}
