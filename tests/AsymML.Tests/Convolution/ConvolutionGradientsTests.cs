using AsymML.Convolution;
using Xunit.Abstractions;

namespace AsymML.Tests.Convolution;

public class ConvolutionGradientsTests(ITestOutputHelper output)
{
    private static readonly ConvolutionGradientMethod[] Methods = Enum.GetValues<ConvolutionGradientMethod>();

    /// <summary>float64 (no oneDNN): convolution_backward is autograd's own kernel, bit for bit; the fallbacks and
    /// im2col agree to 1e-12. Covers every code path's geometry handling (output_padding, swapped stride/dilation).</summary>
    [Theory]
    [MemberData(nameof(ConvCase.Names), MemberType = typeof(ConvCase))]
    public void AllMethodsMatchAutogradInFloat64(string name)
    {
        ConvCase c = ConvCase.Named(name);
        using var scope = NewDisposeScope();
        Tensor x = c.Input(1).to(ScalarType.Float64), w = c.Weight(2).to(ScalarType.Float64);
        Tensor dY = c.OutputGradient(3).to(ScalarType.Float64);
        (_, Tensor dxRef, Tensor dwRef) = c.Reference(x, w, c.Bias(4), dY);

        foreach (ConvolutionGradientMethod m in Methods)
        {
            Tensor dx = ConvolutionGradients.InputGradient(dY, w, x.shape, c.Geometry, m);
            Tensor dw = ConvolutionGradients.WeightGradient(x, dY, w.shape, c.Geometry, m);
            (Tensor dx2, Tensor dw2) = ConvolutionGradients.InputAndWeightGradients(x, dY, w, c.Geometry, m);
            Assert.Equal(ScalarType.Float64, dx.dtype);
            foreach ((string what, Tensor got, Tensor want) in new[] { ("dX", dx, dxRef), ("dW", dw, dwRef), ("pair dX", dx2, dxRef), ("pair dW", dw2, dwRef) })
            {
                if (m == ConvolutionGradientMethod.ConvolutionBackward)
                    Assert.True(ConvCase.Identical(got, want), $"{name} {m} {what}: not bit-identical to autograd ({ConvCase.RelativeError(got, want):E2})");
                else
                    Assert.True(ConvCase.RelativeError(got, want) <= 1e-12, $"{name} {m} {what}: relative error {ConvCase.RelativeError(got, want):E2}");
            }
        }
    }

    /// <summary>float32 against the float64 autograd reference, ≤ 1e-5 relative (max |error| / max |reference|).</summary>
    [Theory]
    [MemberData(nameof(ConvCase.Names), MemberType = typeof(ConvCase))]
    public void AllMethodsMatchAutogradInFloat32(string name)
    {
        ConvCase c = ConvCase.Named(name);
        using var scope = NewDisposeScope();
        Tensor x = c.Input(5), w = c.Weight(6), dY = c.OutputGradient(7);
        (_, Tensor dxRef, Tensor dwRef) = c.Reference(x, w, null, dY);

        foreach (ConvolutionGradientMethod m in Methods)
        {
            Tensor dx = ConvolutionGradients.InputGradient(dY, w, x.shape, c.Geometry, m);
            Tensor dw = ConvolutionGradients.WeightGradient(x, dY, w.shape, c.Geometry, m);
            (Tensor dx2, Tensor dw2) = ConvolutionGradients.InputAndWeightGradients(x, dY, w, c.Geometry, m);
            Assert.Equal(ScalarType.Float32, dw.dtype);
            Assert.Equal(x.shape, dx.shape);
            Assert.Equal(x.shape, dx2.shape);
            if (m != ConvolutionGradientMethod.Im2Col && !OneDnnSoundness.IsSound)
            {
                output.WriteLine($"{name} {m}: {OneDnnSoundness.Note}");
                continue;
            }
            foreach ((string what, Tensor got, Tensor want) in new[] { ("dX", dx, dxRef), ("dW", dw, dwRef), ("pair dX", dx2, dxRef), ("pair dW", dw2, dwRef) })
            {
                double error = ConvCase.RelativeError(got, want);
                Assert.True(error <= 1e-5, $"{name} {m}: {what} relative error {error:E2} > 1e-5");
            }
        }
    }

    [Fact]
    public void ConcurrentCallsAgree()
    {
        ConvCase c = ConvCase.Named("k5 s2 p1");
        using var scope = NewDisposeScope();
        Tensor x = c.Input(11).to(ScalarType.Float64), w = c.Weight(12).to(ScalarType.Float64);
        Tensor dY = c.OutputGradient(13).to(ScalarType.Float64);
        Tensor dxRef = ConvolutionGradients.InputGradient(dY, w, x.shape, c.Geometry);
        Tensor dwRef = ConvolutionGradients.WeightGradient(x, dY, w.shape, c.Geometry);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var inner = NewDisposeScope();
            Tensor dx = ConvolutionGradients.InputGradient(dY, w, x.shape, c.Geometry);
            Tensor dw = ConvolutionGradients.WeightGradient(x, dY, w.shape, c.Geometry);
            if (!ConvCase.Identical(dx, dxRef) || !ConvCase.Identical(dw, dwRef)) failures.Add($"call {i}");
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void ResultIsTheOnlyTensorLeftInTheCallersScope()
    {
        ConvCase c = ConvCase.Named("k3 s2 p0");
        using var outer = NewDisposeScope();
        Tensor x = c.Input(14), w = c.Weight(15), dY = c.OutputGradient(16);
        foreach (ConvolutionGradientMethod m in Methods)
        {
            using (var scope = NewDisposeScope())
            {
                _ = ConvolutionGradients.WeightGradient(x, dY, w.shape, c.Geometry, m);
                Assert.Equal(1, scope.DisposablesCount);
            }
            using (var scope = NewDisposeScope())
            {
                _ = ConvolutionGradients.InputGradient(dY, w, x.shape, c.Geometry, m);
                Assert.Equal(1, scope.DisposablesCount);
            }
            using (var scope = NewDisposeScope())
            {
                _ = ConvolutionGradients.InputAndWeightGradients(x, dY, w, c.Geometry, m);
                Assert.Equal(2, scope.DisposablesCount);
            }
        }
    }
}
