using AsymML.Convolution;
using AsymML.Enclave.Convolution;

namespace AsymML.Tests.Convolution;

/// <summary>Bad input is refused in .NET with an <see cref="ArgumentException"/> that names the parameter and what
/// is wrong, before anything reaches compiled TorchScript (where an error would abort the process).</summary>
public class ConvolutionArgumentTests
{
    private const int B = 2, N = 5, M = 4, H = 9, W = 7, R = 2;
    private static readonly ConvGeometry Same = ConvGeometry.Square(padding: 1);

    private static readonly Dictionary<string, (Action Call, string Param, string Fragment)> Cases = new()
    {
        ["dX: dY has 3 dimensions"] = (() => ConvolutionGradients.InputGradient(randn(B, M, 9 * 7), randn(M, N, 3, 3), [B, N, H, W], Same), "outputGradient", "3 dimensions"),
        ["dX: dY has the wrong height"] = (() => ConvolutionGradients.InputGradient(randn(B, M, 8, W), randn(M, N, 3, 3), [B, N, H, W], Same), "outputGradient", "[2, 4, 9, 7]"),
        ["dX: input channels differ from W"] = (() => ConvolutionGradients.InputGradient(randn(B, M, H, W), randn(M, N, 3, 3), [B, N + 1, H, W], Same), "inputShape", "channel count N"),
        ["dX: input shape has 3 entries"] = (() => ConvolutionGradients.InputGradient(randn(B, M, H, W), randn(M, N, 3, 3), [B, N, H], Same), "inputShape", "[B, N, H, W]"),
        ["dX: dtypes differ"] = (() => ConvolutionGradients.InputGradient(randn(B, M, H, W), randn(M, N, 3, 3, ScalarType.Float64), [B, N, H, W], Same), "weight", "Float64"),
        ["dX: integer tensors"] = (() => ConvolutionGradients.InputGradient(ones(B, M, H, W, ScalarType.Int32), ones(M, N, 3, 3, ScalarType.Int32), [B, N, H, W], Same), "outputGradient", "float32 or float64"),
        ["dX: stride 0"] = (() => ConvolutionGradients.InputGradient(randn(B, M, H, W), randn(M, N, 3, 3), [B, N, H, W], Same with { StrideH = 0 }), "geometry", "StrideH"),
        ["dX: negative padding"] = (() => ConvolutionGradients.InputGradient(randn(B, M, H, W), randn(M, N, 3, 3), [B, N, H, W], Same with { PaddingW = -1 }), "geometry", "PaddingW"),
        ["dX: dilation 0"] = (() => ConvolutionGradients.InputGradient(randn(B, M, H, W), randn(M, N, 3, 3), [B, N, H, W], Same with { DilationH = 0 }), "geometry", "DilationH"),
        ["dX: kernel larger than the padded map"] = (() => ConvolutionGradients.InputGradient(randn(B, M, 1, 1), randn(M, N, 11, 3), [B, N, H, W], ConvGeometry.Default), "", "does not fit"),
        ["dW: weight shape has the wrong N"] = (() => ConvolutionGradients.WeightGradient(randn(B, N, H, W), randn(B, M, H, W), [M, N + 2, 3, 3], Same), "weightShape", "channel count N"),
        ["dW: dY has the wrong batch"] = (() => ConvolutionGradients.WeightGradient(randn(B, N, H, W), randn(B + 1, M, H, W), [M, N, 3, 3], Same), "outputGradient", "[2, 4, 9, 7]"),
        ["dW: weight shape entry 0"] = (() => ConvolutionGradients.WeightGradient(randn(B, N, H, W), randn(B, M, H, W), [M, N, 0, 3], Same), "weightShape", "between 1 and"),
        ["pair: W has the wrong N"] = (() => ConvolutionGradients.InputAndWeightGradients(randn(B, N, H, W), randn(B, M, H, W), randn(M, N - 1, 3, 3), Same), "weight", "channel count N"),
        ["forward: bias has the wrong length"] = (() => PlainConvolution.Forward(randn(B, N, H, W), randn(M, N, 3, 3), randn(M + 1), Same), "bias", "[M] = [4]"),
        ["trusted: U has 2 dimensions"] = (() => TrustedConvolution.Forward(randn(N, R), randn(B, R, H * W), randn(M, N, 3, 3), H, W, Same), "u", "U [B, N, r]"),
        ["trusted: V has another rank"] = (() => TrustedConvolution.Forward(randn(B, N, R), randn(B, R + 1, H * W), randn(M, N, 3, 3), H, W, Same), "v", "rank r"),
        ["trusted: V has another batch"] = (() => TrustedConvolution.Forward(randn(B, N, R), randn(B + 1, R, H * W), randn(M, N, 3, 3), H, W, Same), "v", "batch size"),
        ["trusted: H·W does not match V"] = (() => TrustedConvolution.Forward(randn(B, N, R), randn(B, R, H * W), randn(M, N, 3, 3), H, W + 1, Same), "v", "H·W"),
        ["trusted: W has the wrong N"] = (() => TrustedConvolution.Forward(randn(B, N, R), randn(B, R, H * W), randn(M, N + 1, 3, 3), H, W, Same), "weight", "channel count N"),
        ["trusted: zero height"] = (() => TrustedConvolution.Forward(randn(B, N, R), randn(B, R, H * W), randn(M, N, 3, 3), 0, W, Same), "height", "at least 1"),
        ["trusted dW: dY has the wrong M"] = (() => TrustedConvolution.WeightGradient(randn(B, N, R), randn(B, R, H * W), randn(B, M + 1, H, W), H, W, [M, N, 3, 3], Same), "outputGradient", "[2, 4, 9, 7]"),
        ["trusted dW: weight shape has the wrong N"] = (() => TrustedConvolution.WeightGradient(randn(B, N, R), randn(B, R, H * W), randn(B, M, H, W), H, W, [M, N + 1, 3, 3], Same), "weightShape", "channel count N"),
        ["trusted dW: dY is float64"] = (() => TrustedConvolution.WeightGradient(randn(B, N, R), randn(B, R, H * W), randn(B, M, H, W, ScalarType.Float64), H, W, [M, N, 3, 3], Same), "outputGradient", "Float64"),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void BadInputIsRefusedWithAMessageNamingTheProblem(string name)
    {
        using var scope = NewDisposeScope();
        (Action call, string param, string fragment) = Cases[name];
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.IsNotType<ArgumentOutOfRangeException>(e);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        if (param.Length > 0) Assert.Equal(param, e.ParamName);
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentNullException>(() => ConvolutionGradients.InputGradient(null!, randn(M, N, 3, 3), [B, N, H, W], Same));
        Assert.Throws<ArgumentNullException>(() => ConvolutionGradients.WeightGradient(randn(B, N, H, W), randn(B, M, H, W), null!, Same));
        Assert.Throws<ArgumentNullException>(() => TrustedConvolution.Forward(randn(B, N, R), randn(B, R, H * W), randn(M, N, 3, 3), H, W, null!));
    }
}
