using AsymML.Network;

namespace AsymML.Tests.Network;

public class LayerTests
{
    [Theory]
    [InlineData(7, 3, 2, 1, false)]
    [InlineData(7, 3, 2, 1, true)]
    [InlineData(8, 3, 2, 0, true)]
    [InlineData(6, 2, 2, 0, true)]
    [InlineData(5, 2, 2, 1, true)]
    [InlineData(112, 3, 2, 1, false)]
    [InlineData(13, 5, 3, 2, true)]
    public void PoolingSizesMatchTorch(int size, int kernel, int stride, int padding, bool ceil)
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(1, 2, size, size + 1);
        var max = new MaxPool2dLayer("p", kernel, stride, padding, ceil);
        var avg = new AvgPool2dLayer("p", kernel, stride, padding, ceil, countIncludePad: false);
        ActivationShape input = ActivationShape.Map(2, size, size + 1);
        Tensor maxOut = nn.functional.max_pool2d(x, [kernel, kernel], [stride, stride], [padding, padding], ceil_mode: ceil);
        Tensor avgOut = nn.functional.avg_pool2d(x, [kernel, kernel], [stride, stride], [padding, padding], ceil_mode: ceil, count_include_pad: false);
        Assert.Equal(maxOut.shape[1..], max.OutputShape(input).Dims.Select(d => (long)d));
        Assert.Equal(avgOut.shape[1..], avg.OutputShape(input).Dims.Select(d => (long)d));
    }

    [Theory]
    [InlineData(32, 3, 3, 1, 1, 1, 1)]
    [InlineData(224, 7, 7, 2, 2, 3, 3)]
    [InlineData(17, 5, 3, 2, 1, 2, 0)]
    [InlineData(9, 1, 1, 2, 2, 0, 0)]
    public void ConvolutionSizesMatchTorch(int size, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        using var scope = NewDisposeScope();
        var conv = new Conv2dLayer("c", 2, 4, kh, kw, sh, sw, ph, pw, hasBias: false);
        Tensor y = nn.functional.conv2d(randn(1, 2, size, size), randn(4, 2, kh, kw), strides: [sh, sw], padding: [ph, pw]);
        Assert.Equal(y.shape[1..], conv.OutputShape(ActivationShape.Map(2, size, size)).Dims.Select(d => (long)d));
    }

    [Fact]
    public void ParametersFollowPyTorchNames()
    {
        Assert.Equal(["c.weight [8, 3, 5, 3]", "c.bias [8]"], Conv("c").Parameters().Select(p => p.ToString()));
        Assert.Equal(["bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"],
            new BatchNorm2dLayer("bn", 4).Parameters().Select(p => p.Name));
        Assert.Equal(["bn.running_mean", "bn.running_var", "bn.num_batches_tracked"],
            new BatchNorm2dLayer("bn", 4, affine: false).Parameters().Select(p => p.Name));
        Assert.Empty(new BatchNorm2dLayer("bn", 4).Parameters().Last().Shape);
        Assert.Equal(ScalarType.Int64, new BatchNorm2dLayer("bn", 4).Parameters().Last().DType);
        Assert.Equal(["fc.weight [10, 512]"], new LinearLayer("fc", 512, 10, hasBias: false).Parameters().Select(p => p.ToString()));
    }

    [Fact]
    public void BadConfigurationsAreRejectedWithThePath()
    {
        Assert.Contains("'features.3'", Assert.Throws<ArgumentOutOfRangeException>(() => Conv2dLayer.Square("features.3", 0, 8, 3)).Message);
        Assert.Contains("dilation", Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2dLayer("c", 3, 8, 3, 3, 1, 1, 2, 2, true, dilation: 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2dLayer("p", 2, 2, padding: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DropoutLayer("d", 1.5));
        Assert.Throws<ArgumentException>(() => new ReLULayer("features..1"));
        Assert.Throws<ArgumentException>(() => new ResidualBlock("b", [new ResidualBlock("b.0", [new ReLULayer("b.0.r")])]));
    }

    [Fact]
    public void ShapeMismatchNamesTheLayer()
    {
        var spec = new NetworkSpec("bad", 3,
        [
            Conv2dLayer.Square("features.0", 3, 16, 3, padding: 1),
            new ReLULayer("features.1"),
            Conv2dLayer.Square("features.2", 32, 16, 3, padding: 1),
        ]);
        var error = Assert.Throws<NetworkShapeException>(() => spec.InferShapes(8, 8));
        Assert.Equal("features.2", error.LayerPath);
        Assert.Contains("'features.2'", error.Message);
        Assert.Contains("expects 32 input channels, got 16", error.Message);

        var noFlatten = new NetworkSpec("bad", 3, [Conv2dLayer.Square("conv", 3, 4, 1), new LinearLayer("fc", 4, 2)]);
        Assert.Contains("Flatten", Assert.Throws<NetworkShapeException>(() => noFlatten.OutputShape(1, 1)).Message);

        var tooSmall = new NetworkSpec("bad", 3, [Conv2dLayer.Square("conv", 3, 4, 5)]);
        Assert.Equal("conv", Assert.Throws<NetworkShapeException>(() => tooSmall.InferShapes(4, 4)).LayerPath);

        var block = new ResidualBlock("layer1.0", [Conv2dLayer.Square("layer1.0.conv1", 4, 4, 3, stride: 2, padding: 1)]);
        var residual = new NetworkSpec("bad", 4, [block]);
        Assert.Equal("layer1.0", Assert.Throws<NetworkShapeException>(() => residual.InferShapes(8, 8)).LayerPath);
        Assert.Throws<ArgumentException>(() => residual.InferShapes(ActivationShape.Map(3, 8, 8)));
    }

    [Fact]
    public void SpecRejectsDuplicateAndNestedPaths()
    {
        Assert.Contains("'a'", Assert.Throws<ArgumentException>(() => new NetworkSpec("n", 3, [new ReLULayer("a"), new ReLULayer("a")])).Message);
        Assert.Contains("'conv.x'", Assert.Throws<ArgumentException>(() =>
            new NetworkSpec("n", 3, [Conv2dLayer.Square("conv", 3, 3, 1), new ReLULayer("conv.x")])).Message);
    }

    [Fact]
    public void LayersCompareByValue()
    {
        Assert.Equal(Conv("c"), Conv("c"));
        Assert.NotEqual(Conv("c"), Conv("d"));
        var a = new ResidualBlock("b", [Conv("b.c")], [new BatchNorm2dLayer("b.s", 8)]);
        var b = new ResidualBlock("b", [Conv("b.c")], [new BatchNorm2dLayer("b.s", 8)]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new ResidualBlock("b", [Conv("b.c")]));
    }

    private static Conv2dLayer Conv(string path) => new(path, 3, 8, 5, 3, 2, 1, 2, 1, hasBias: true);
}
