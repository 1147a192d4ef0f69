using AsymML.Convolution;
using AsymML.Decomposition;
using AsymML.Enclave.Convolution;

namespace AsymML.Tests.Convolution;

public class TrustedConvolutionTests
{
    private static readonly TrustedConvolutionStrategy[] Strategies = Enum.GetValues<TrustedConvolutionStrategy>();

    private static int[] Ranks(int n) => [1, 2, 4, n];

    /// <summary>Eq. 1 and 4 in float32: Y_T + conv(X^U, W) + bias = conv(X, W) + bias (float64 reference), max abs
    /// error ≤ 1e-5 × max |Y|, for every strategy, every rank and the cost model's own choice.</summary>
    [Theory]
    [MemberData(nameof(ConvCase.Names), MemberType = typeof(ConvCase))]
    public void ForwardPlusResidualConvolutionEqualsFullConvolution(string name)
    {
        ConvCase c = ConvCase.Named(name);
        using var scope = NewDisposeScope();
        Tensor x = c.Input(21), w = c.Weight(22);
        Tensor? bias = c.Bias(23);
        (Tensor expected, _, _) = c.Reference(x, w, bias, c.OutputGradient(24));
        double scale = ConvCase.MaxAbs(expected);

        foreach (int r in Ranks(c.Channels))
        {
            using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = r });
            Tensor untrusted = PlainConvolution.Forward(f.Residual, w, bias, c.Geometry);
            foreach (TrustedConvolutionStrategy? s in Strategies.Cast<TrustedConvolutionStrategy?>().Append(null))
            {
                Tensor trusted = TrustedConvolution.Forward(f, w, c.Geometry, s);
                Assert.Equal(ScalarType.Float32, trusted.dtype);
                double error = ConvCase.MaxAbs((trusted + untrusted).to(ScalarType.Float64) - expected);
                Assert.True(error <= 1e-5 * scale,
                    $"{name} r={r} {s?.ToString() ?? "cost model"}: max |Y_T + Y_U − Y| = {error:E2} > 1e-5 × {scale:F3}");
            }
        }
    }

    /// <summary>Eq. 5 in float32: dW_T + conv_weight_grad(X^U, dY) = autograd dW of conv(X, W) (float64 reference),
    /// ≤ 1e-4 relative, for every strategy, every rank and the cost model's choice.</summary>
    [Theory]
    [MemberData(nameof(ConvCase.Names), MemberType = typeof(ConvCase))]
    public void WeightGradientPlusResidualGradientEqualsAutograd(string name)
    {
        ConvCase c = ConvCase.Named(name);
        using var scope = NewDisposeScope();
        Tensor x = c.Input(31), w = c.Weight(32), dY = c.OutputGradient(33);
        (_, _, Tensor expected) = c.Reference(x, w, c.Bias(34), dY);

        foreach (int r in Ranks(c.Channels))
        {
            using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = r });
            Tensor untrusted = ConvolutionGradients.WeightGradient(f.Residual, dY, w.shape, c.Geometry);
            foreach (TrustedConvolutionStrategy? s in Strategies.Cast<TrustedConvolutionStrategy?>().Append(null))
            {
                Tensor trusted = TrustedConvolution.WeightGradient(f, dY, w.shape, c.Geometry, s);
                double error = ConvCase.RelativeError(trusted + untrusted, expected);
                Assert.True(error <= 1e-4, $"{name} r={r} {s?.ToString() ?? "cost model"}: dW_T + dW_U relative error {error:E2} > 1e-4");
            }
        }
    }

    /// <summary>float64, random factors: every strategy equals conv(U·V, W) and its autograd weight gradient to 1e-12
    /// (the identities are exact; float64 also keeps oneDNN out of the comparison).</summary>
    [Theory]
    [MemberData(nameof(ConvCase.Names), MemberType = typeof(ConvCase))]
    public void StrategiesAreExactInFloat64(string name)
    {
        ConvCase c = ConvCase.Named(name);
        using var scope = NewDisposeScope();
        using var g = new Generator(41);
        Tensor w = c.Weight(42).to(ScalarType.Float64), dY = c.OutputGradient(43).to(ScalarType.Float64);
        foreach (int r in Ranks(c.Channels))
        {
            Tensor u = randn(ConvCase.Batch, c.Channels, r, ScalarType.Float64, generator: g);
            Tensor v = randn(ConvCase.Batch, r, ConvCase.Height * ConvCase.Width, ScalarType.Float64, generator: g);
            Tensor lowRank = u.bmm(v).view(ConvCase.Batch, c.Channels, ConvCase.Height, ConvCase.Width);
            (Tensor yRef, _, Tensor dwRef) = c.Reference(lowRank, w, null, dY);
            foreach (TrustedConvolutionStrategy s in Strategies)
            {
                Tensor y = TrustedConvolution.Forward(u, v, w, ConvCase.Height, ConvCase.Width, c.Geometry, s);
                Tensor dw = TrustedConvolution.WeightGradient(u, v, dY, ConvCase.Height, ConvCase.Width, w.shape, c.Geometry, s);
                Assert.True(ConvCase.RelativeError(y, yRef) <= 1e-12, $"{name} r={r} {s}: Y_T {ConvCase.RelativeError(y, yRef):E2}");
                Assert.True(ConvCase.RelativeError(dw, dwRef) <= 1e-12, $"{name} r={r} {s}: dW_T {ConvCase.RelativeError(dw, dwRef):E2}");
            }
        }
    }

    [Fact]
    public void ResultIsTheOnlyTensorLeftInTheCallersScope()
    {
        ConvCase c = ConvCase.Named("k3 s1 p1");
        using var outer = NewDisposeScope();
        Tensor x = c.Input(51), w = c.Weight(52), dY = c.OutputGradient(53);
        using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = 2 });
        foreach (TrustedConvolutionStrategy s in Strategies)
        {
            using (var scope = NewDisposeScope())
            {
                _ = TrustedConvolution.Forward(f, w, c.Geometry, s);
                Assert.Equal(1, scope.DisposablesCount);
            }
            using (var scope = NewDisposeScope())
            {
                _ = TrustedConvolution.WeightGradient(f, dY, w.shape, c.Geometry, s);
                Assert.Equal(1, scope.DisposablesCount);
            }
        }
    }
}
