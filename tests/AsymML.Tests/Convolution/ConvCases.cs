using AsymML.Convolution;
using F = TorchSharp.torch.nn.functional;

namespace AsymML.Tests.Convolution;

/// <summary>One convolution problem of the test grid: kernel, geometry, sizes and reproducible tensors.</summary>
public sealed record ConvCase(int Kernel, ConvGeometry Geometry, int Channels, bool WithBias, string Name)
{
    public const int Batch = 3, OutChannels = 6, Height = 13, Width = 9;

    public override string ToString() => Name;

    /// <summary>k ∈ {1, 3, 5, 7} × stride ∈ {1, 2} × padding 0..k/2 on a non-square 13×9 map (odd sizes, so strided
    /// cases need output_padding 0 and 1), N from 8 to 16, bias on every other case; plus dilated and anisotropic
    /// geometries.</summary>
    public static IReadOnlyList<ConvCase> All { get; } = Build();

    /// <summary>Case names for [MemberData] (strings, so xunit lists every case as its own test).</summary>
    public static TheoryData<string> Names() => new(All.Select(c => c.Name));

    public static ConvCase Named(string name) => All.Single(c => c.Name == name);

    private static List<ConvCase> Build()
    {
        var all = new List<ConvCase>();
        foreach (int k in new[] { 1, 3, 5, 7 })
            foreach (int s in new[] { 1, 2 })
                for (int p = 0; p <= k / 2; p++)
                    all.Add(new ConvCase(k, ConvGeometry.Square(stride: s, padding: p), 8 + (k + 3 * s + p) % 9,
                        all.Count % 2 == 0, $"k{k} s{s} p{p}"));
        all.Add(new ConvCase(3, ConvGeometry.Square(stride: 1, padding: 2, dilation: 2), 10, true, "k3 s1 p2 d2"));
        all.Add(new ConvCase(3, ConvGeometry.Square(stride: 2, padding: 1, dilation: 2), 12, false, "k3 s2 p1 d2"));
        all.Add(new ConvCase(5, new ConvGeometry { StrideH = 1, StrideW = 2, PaddingH = 2, PaddingW = 0, DilationW = 2 },
            9, true, "k5 s1x2 p2x0 d1x2"));
        return all;
    }

    /// <summary>X [B, N, H, W]: a rank-3 signal plus 30% noise, so low-rank splits leave a real residual.</summary>
    public Tensor Input(ulong seed)
    {
        using var g = new Generator(seed);
        using var scope = NewDisposeScope();
        Tensor signal = randn(Batch, Channels, 3, generator: g).bmm(randn(Batch, 3, Height * Width, generator: g));
        Tensor x = signal + 0.3 * randn(Batch, Channels, Height * Width, generator: g);
        return x.view(Batch, Channels, Height, Width).MoveToOuterDisposeScope();
    }

    public Tensor Weight(ulong seed)
    {
        using var g = new Generator(seed);
        return randn(OutChannels, Channels, Kernel, Kernel, generator: g).div_(Math.Sqrt(Channels * Kernel * Kernel));
    }

    public Tensor? Bias(ulong seed)
    {
        if (!WithBias) return null;
        using var g = new Generator(seed);
        return randn(OutChannels, generator: g);
    }

    public (long Height, long Width) OutputSize() => Geometry.OutputSize(Height, Width, Kernel, Kernel);

    public Tensor OutputGradient(ulong seed)
    {
        (long ho, long wo) = OutputSize();
        using var g = new Generator(seed);
        return randn(Batch, OutChannels, ho, wo, generator: g);
    }

    /// <summary>Autograd reference in float64 (libtorch's float64 convolutions do not use oneDNN, whose float32 JIT
    /// kernels are wrong for some shapes on the project's VMs): Y = conv(X, W) + bias, dX and dW for the given dY.</summary>
    public (Tensor Y, Tensor DX, Tensor DW) Reference(Tensor x, Tensor w, Tensor? bias, Tensor dY)
    {
        using var scope = NewDisposeScope();
        // Fresh leaves: .to() returns the tensor itself when it is float64 already.
        Tensor xg = x.detach().to(ScalarType.Float64).clone().requires_grad_(true);
        Tensor wg = w.detach().to(ScalarType.Float64).clone().requires_grad_(true);
        Tensor y = F.conv2d(xg, wg, bias?.to(ScalarType.Float64), strides: [Geometry.StrideH, Geometry.StrideW],
            padding: [Geometry.PaddingH, Geometry.PaddingW], dilation: [Geometry.DilationH, Geometry.DilationW]);
        y.backward([dY.to(ScalarType.Float64)]);
        return (y.detach().MoveToOuterDisposeScope(), xg.grad!.detach().MoveToOuterDisposeScope(),
            wg.grad!.detach().MoveToOuterDisposeScope());
    }

    public static double MaxAbs(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.abs().max().ToDouble();
    }

    /// <summary>Same shape and the same bits.</summary>
    public static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>max |actual − expected| / max |expected|, computed in float64; NaN anywhere gives +∞.</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        double error = MaxAbs(actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64));
        return double.IsNaN(error) ? double.PositiveInfinity : error / Math.Max(MaxAbs(expected), 1e-300);
    }
}
