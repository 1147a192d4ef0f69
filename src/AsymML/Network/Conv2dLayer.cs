namespace AsymML.Network;

/// <summary>A 2-D convolution (<c>nn.Conv2d</c>, zero padding, one group). Its state-dict entries are
/// <c>&lt;Path&gt;.weight</c> [out, in, kH, kW] and, with a bias, <c>&lt;Path&gt;.bias</c> [out].</summary>
public sealed record Conv2dLayer : Layer
{
    /// <summary>Creates a convolution; every size is checked.</summary>
    /// <param name="path">Module path, e.g. <c>features.0</c>.</param>
    /// <param name="inChannels">N, input channels.</param>
    /// <param name="outChannels">M, output channels.</param>
    /// <param name="kernelHeight">Kernel rows.</param>
    /// <param name="kernelWidth">Kernel columns.</param>
    /// <param name="strideHeight">Vertical stride.</param>
    /// <param name="strideWidth">Horizontal stride.</param>
    /// <param name="paddingHeight">Zero rows added above and below.</param>
    /// <param name="paddingWidth">Zero columns added left and right.</param>
    /// <param name="hasBias">Whether the layer adds a bias.</param>
    /// <param name="dilation">Kernel dilation; only 1 is supported (the split engine assumes dense kernels).</param>
    public Conv2dLayer(string path, int inChannels, int outChannels, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int paddingHeight, int paddingWidth, bool hasBias, int dilation = 1)
        : base(path)
    {
        InChannels = LayerChecks.Positive(inChannels, path, nameof(inChannels));
        OutChannels = LayerChecks.Positive(outChannels, path, nameof(outChannels));
        KernelHeight = LayerChecks.Positive(kernelHeight, path, nameof(kernelHeight));
        KernelWidth = LayerChecks.Positive(kernelWidth, path, nameof(kernelWidth));
        StrideHeight = LayerChecks.Positive(strideHeight, path, nameof(strideHeight));
        StrideWidth = LayerChecks.Positive(strideWidth, path, nameof(strideWidth));
        PaddingHeight = LayerChecks.NonNegative(paddingHeight, path, nameof(paddingHeight));
        PaddingWidth = LayerChecks.NonNegative(paddingWidth, path, nameof(paddingWidth));
        if (dilation != 1)
            throw new ArgumentOutOfRangeException(nameof(dilation), dilation, $"Layer '{path}': only dilation 1 is supported, got {dilation}.");
        Dilation = dilation;
        HasBias = hasBias;
    }

    /// <summary>A convolution with a square kernel, equal strides and equal paddings.</summary>
    public static Conv2dLayer Square(string path, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool hasBias = true) =>
        new(path, inChannels, outChannels, kernelSize, kernelSize, stride, stride, padding, padding, hasBias);

    /// <summary>N.</summary>
    public int InChannels { get; }

    /// <summary>M.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel rows.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel columns.</summary>
    public int KernelWidth { get; }

    /// <summary>Vertical stride.</summary>
    public int StrideHeight { get; }

    /// <summary>Horizontal stride.</summary>
    public int StrideWidth { get; }

    /// <summary>Zero rows per side.</summary>
    public int PaddingHeight { get; }

    /// <summary>Zero columns per side.</summary>
    public int PaddingWidth { get; }

    /// <summary>Always 1.</summary>
    public int Dilation { get; }

    /// <summary>Whether a bias is added.</summary>
    public bool HasBias { get; }

    /// <summary>True when kernel, stride and padding are the same in both directions (what
    /// <see cref="AsymML.Decomposition.ConvLayerShape"/> describes).</summary>
    public bool IsSquare => KernelHeight == KernelWidth && StrideHeight == StrideWidth && PaddingHeight == PaddingWidth;

    /// <inheritdoc />
    public override string Kind => "Conv2d";

    /// <inheritdoc />
    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireMap(input, InChannels);
        int height = LayerChecks.ConvOutput(input.Height, KernelHeight, StrideHeight, PaddingHeight, Dilation);
        int width = LayerChecks.ConvOutput(input.Width, KernelWidth, StrideWidth, PaddingWidth, Dilation);
        if (height <= 0 || width <= 0)
            throw Mismatch(input, $"has a {LayerChecks.Size(KernelHeight, KernelWidth)} kernel with padding {LayerChecks.Size(PaddingHeight, PaddingWidth)} that does not fit the map");
        return ActivationShape.Map(OutChannels, height, width);
    }

    /// <inheritdoc />
    public override IEnumerable<ParameterEntry> Parameters()
    {
        yield return ParameterEntry.For(Path, ParameterRole.Weight, OutChannels, InChannels, KernelHeight, KernelWidth);
        if (HasBias)
            yield return ParameterEntry.For(Path, ParameterRole.Bias, OutChannels);
    }
}
