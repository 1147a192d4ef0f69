using static TorchSharp.torch;

namespace AsymML.Convolution;

/// <summary>
/// <c>torch.convolution_backward</c> (ATen's own conv backward, the one autograd runs) reached through a TorchScript
/// unit, since TorchSharp does not bind it. Compiled once, lazily and thread-safely, on first use. The unit's
/// <c>invoke</c> cannot take <c>long[]</c>, so sizes go in as separate ints. A tensor whose values do not matter
/// only gives the kernel its shape: the input for dX is a zero scalar expanded to [B, C, H, W] (no memory; verified
/// bit-identical to autograd in float64 for every geometry of the tests); the weight for dW is a real zero tensor
/// (weight-sized, cheap), so no backend ever sees a zero-stride weight.
/// Callers must validate every argument first: an error inside compiled code aborts the process. The source
/// ends with a newline: TorchScript's parser requires one.
/// </summary>
internal static class ConvolutionBackwardScript
{
    private const string Source = """
        def input_grad(gy: Tensor, w: Tensor, b: int, c: int, h: int, wd: int, sh: int, sw: int, ph: int, pw: int, dh: int, dw: int, groups: int) -> Tensor:
            x = torch.zeros([1, 1, 1, 1], dtype=gy.dtype, device=gy.device).expand([b, c, h, wd])
            r = torch.convolution_backward(gy, x, w, None, [sh, sw], [ph, pw], [dh, dw], False, [0, 0], groups, [True, False, False])
            g = r[0]
            assert g is not None
            return g

        def weight_grad(gy: Tensor, x: Tensor, m: int, c: int, kh: int, kw: int, sh: int, sw: int, ph: int, pw: int, dh: int, dw: int, groups: int) -> Tensor:
            w = torch.zeros([m, c, kh, kw], dtype=gy.dtype, device=gy.device)
            r = torch.convolution_backward(gy, x, w, None, [sh, sw], [ph, pw], [dh, dw], False, [0, 0], groups, [False, True, False])
            g = r[1]
            assert g is not None
            return g

        def both_grads(gy: Tensor, x: Tensor, w: Tensor, sh: int, sw: int, ph: int, pw: int, dh: int, dw: int, groups: int) -> Tuple[Tensor, Tensor]:
            r = torch.convolution_backward(gy, x, w, None, [sh, sw], [ph, pw], [dh, dw], False, [0, 0], groups, [True, True, False])
            gx = r[0]
            gw = r[1]
            assert gx is not None
            assert gw is not None
            return (gx, gw)

        """;

    private static readonly Lazy<jit.CompilationUnit> Unit = new(() => jit.compile(Source), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>dX [inputShape] of a convolution with weight [M, C/groups, kh, kw]; arguments already validated.</summary>
    internal static Tensor InputGradient(Tensor dY, Tensor weight, long[] inputShape, ConvGeometry g, int groups) =>
        (Tensor)Unit.Value.invoke("input_grad", dY, weight,
            (int)inputShape[0], (int)inputShape[1], (int)inputShape[2], (int)inputShape[3],
            g.StrideH, g.StrideW, g.PaddingH, g.PaddingW, g.DilationH, g.DilationW, groups);

    /// <summary>dW [weightShape] of a convolution of <paramref name="input"/>; arguments already validated.</summary>
    internal static Tensor WeightGradient(Tensor input, Tensor dY, long[] weightShape, ConvGeometry g, int groups) =>
        (Tensor)Unit.Value.invoke("weight_grad", dY, input,
            (int)weightShape[0], (int)weightShape[1], (int)weightShape[2], (int)weightShape[3],
            g.StrideH, g.StrideW, g.PaddingH, g.PaddingW, g.DilationH, g.DilationW, groups);

    /// <summary>dX and dW in one call (shares the work the backend can share); arguments already validated.</summary>
    internal static (Tensor InputGradient, Tensor WeightGradient) Both(Tensor input, Tensor dY, Tensor weight, ConvGeometry g) =>
        ((Tensor, Tensor))Unit.Value.invoke("both_grads", dY, input, weight,
            g.StrideH, g.StrideW, g.PaddingH, g.PaddingW, g.DilationH, g.DilationW, 1);
}
