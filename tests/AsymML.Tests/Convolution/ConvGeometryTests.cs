using AsymML.Convolution;
using F = TorchSharp.torch.nn.functional;

namespace AsymML.Tests.Convolution;

public class ConvGeometryTests
{
    [Theory]
    [InlineData(13, 9, 3, 3, 1, 1, 1)]
    [InlineData(13, 9, 5, 5, 2, 2, 1)]
    [InlineData(13, 9, 7, 1, 2, 0, 1)]
    [InlineData(13, 9, 3, 3, 2, 1, 2)]
    [InlineData(4, 4, 4, 4, 3, 0, 1)]
    [InlineData(1, 1, 3, 3, 1, 1, 1)]
    public void OutputSizeMatchesConv2d(int h, int w, int kh, int kw, int stride, int padding, int dilation)
    {
        using var scope = NewDisposeScope();
        var g = ConvGeometry.Square(stride, padding, dilation) with { StrideW = stride + 1 };
        Tensor y = F.conv2d(zeros(1, 1, h, w), zeros(1, 1, kh, kw), strides: [g.StrideH, g.StrideW],
            padding: [padding, padding], dilation: [dilation, dilation]);
        Assert.Equal((y.shape[2], y.shape[3]), g.OutputSize(h, w, kh, kw));
    }

    [Fact]
    public void DefaultIsStrideOneNoPaddingNoDilation()
    {
        Assert.Equal(new ConvGeometry { StrideH = 1, StrideW = 1, PaddingH = 0, PaddingW = 0, DilationH = 1, DilationW = 1 }, ConvGeometry.Default);
        Assert.Equal((11L, 7L), ConvGeometry.Default.OutputSize(13, 9, 3, 3));
    }

    [Fact]
    public void KernelThatDoesNotFitIsRefused()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ConvGeometry.Square(padding: 1).OutputSize(3, 3, 7, 7));
        Assert.Contains("does not fit", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ConvGeometry.Default.OutputSize(0, 3, 1, 1));
    }
}
