namespace AsymML.Convolution;

/// <summary>
/// Geometry of one 2-D convolution apart from its tensors: stride, zero padding and dilation per axis. Groups are
/// always 1 (a grouped layer is not split). Every function in this namespace takes it explicitly and validates it;
/// <see cref="Validate"/> says what is wrong.
/// </summary>
public sealed record ConvGeometry
{
    /// <summary>Stride along the height, at least 1. Default 1.</summary>
    public int StrideH { get; init; } = 1;

    /// <summary>Stride along the width, at least 1. Default 1.</summary>
    public int StrideW { get; init; } = 1;

    /// <summary>Zero padding added above and below, at least 0. Default 0.</summary>
    public int PaddingH { get; init; }

    /// <summary>Zero padding added left and right, at least 0. Default 0.</summary>
    public int PaddingW { get; init; }

    /// <summary>Dilation of the kernel along the height, at least 1. Default 1.</summary>
    public int DilationH { get; init; } = 1;

    /// <summary>Dilation of the kernel along the width, at least 1. Default 1.</summary>
    public int DilationW { get; init; } = 1;

    /// <summary>Stride 1, no padding, no dilation.</summary>
    public static ConvGeometry Default { get; } = new();

    /// <summary>The geometry of a network convolution layer.</summary>
    public static ConvGeometry Of(AsymML.Network.Conv2dLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return new()
        {
            StrideH = layer.StrideHeight, StrideW = layer.StrideWidth,
            PaddingH = layer.PaddingHeight, PaddingW = layer.PaddingWidth,
            DilationH = layer.Dilation, DilationW = layer.Dilation,
        };
    }

    /// <summary>The same stride, padding and dilation on both axes (e.g. <c>Square(padding: 1)</c> for a "same" 3×3).</summary>
    public static ConvGeometry Square(int stride = 1, int padding = 0, int dilation = 1) => new()
    {
        StrideH = stride, StrideW = stride, PaddingH = padding, PaddingW = padding, DilationH = dilation, DilationW = dilation,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    /// <param name="paramName">The parameter name reported in the exception.</param>
    public void Validate(string paramName = "geometry")
    {
        Check(StrideH >= 1, nameof(StrideH), StrideH, "at least 1", paramName);
        Check(StrideW >= 1, nameof(StrideW), StrideW, "at least 1", paramName);
        Check(PaddingH >= 0, nameof(PaddingH), PaddingH, "at least 0", paramName);
        Check(PaddingW >= 0, nameof(PaddingW), PaddingW, "at least 0", paramName);
        Check(DilationH >= 1, nameof(DilationH), DilationH, "at least 1", paramName);
        Check(DilationW >= 1, nameof(DilationW), DilationW, "at least 1", paramName);
    }

    /// <summary>Output size (Ho, Wo) of a <paramref name="kernelH"/>×<paramref name="kernelW"/> kernel over an
    /// <paramref name="height"/>×<paramref name="width"/> map: ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1 per axis.</summary>
    /// <exception cref="ArgumentException">The geometry is invalid, or the dilated kernel does not fit in the padded
    /// map (an output side would be smaller than 1).</exception>
    public (long Height, long Width) OutputSize(long height, long width, long kernelH, long kernelW)
    {
        Validate();
        if (height < 1 || width < 1 || kernelH < 1 || kernelW < 1)
            throw new ArgumentException(
                $"Map {height}×{width} and kernel {kernelH}×{kernelW} must all be at least 1×1.");
        long ho = Side(height, kernelH, PaddingH, DilationH, StrideH);
        long wo = Side(width, kernelW, PaddingW, DilationW, StrideW);
        if (ho < 1 || wo < 1)
            throw new ArgumentException(
                $"A {kernelH}×{kernelW} kernel (dilation {DilationH}×{DilationW}) does not fit a {height}×{width} map " +
                $"with padding {PaddingH}×{PaddingW}: the output would be {ho}×{wo}. Pad more or use a smaller kernel.");
        return (ho, wo);
    }

    internal long[] Strides => [StrideH, StrideW];

    internal long[] Paddings => [PaddingH, PaddingW];

    internal long[] Dilations => [DilationH, DilationW];

    private static long Side(long size, long kernel, int padding, int dilation, int stride) =>
        (size + 2L * padding - dilation * (kernel - 1) - 1) is var span && span < 0 ? 0 : span / stride + 1;

    private static void Check(bool ok, string field, int value, string rule, string paramName)
    {
        if (!ok)
            throw new ArgumentException($"ConvGeometry.{field} must be {rule}; got {value}.", paramName);
    }
}
