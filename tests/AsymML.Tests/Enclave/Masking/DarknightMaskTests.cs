using AsymML.Boundary.Session;
using AsymML.Convolution;
using AsymML.Enclave.Masking;
using Xunit.Abstractions;

namespace AsymML.Tests.Enclave.Masking;

/// <summary>The mixing alone, against the convolutions it must commute with: un-mixed Y_U and dX and the
/// accelerator's dW_U over the mixtures equal the unmasked ones (float64: to rounding; float32: within a bound set
/// from the measured error), and what leaves is not any one sample's residual.</summary>
public class DarknightMaskTests(ITestOutputHelper output)
{
    private static readonly ConvGeometry Same = ConvGeometry.Square(stride: 1, padding: 1);

    /// <summary>Y_U, dX and dW_U of a 3×3 convolution through a mask, and the same without it.</summary>
    private static (double Forward, double InputGradient, double WeightGradient) Errors(MaskingSettings settings, int batch, ScalarType type,
        Tensor? truthInput = null, long seed = 5)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        // A ReLU'd input minus its mean: like a residual, positive and negative, many exact zeros before the shift.
        Tensor x = (truthInput ?? randn([batch, 16, 12, 12], dtype: ScalarType.Float64, generator: g).relu_().sub_(0.3));
        Tensor w = randn([24, 16, 3, 3], dtype: ScalarType.Float64, generator: g).div_(12);
        Tensor dy = randn([batch, 24, 12, 12], dtype: ScalarType.Float64, generator: g);
        Tensor y = PlainConvolution.Forward(x, w, null, Same);
        Tensor dx = ConvolutionGradients.InputGradient(dy, w, x.shape, Same);
        Tensor dw = ConvolutionGradients.WeightGradient(x, dy, w.shape, Same);

        using var mask = new DarknightMask(settings with { Seed = seed });
        Tensor xt = x.to(type), wt = w.to(type), dyt = dy.to(type);
        ResidualMixing mixing = mask.Mix(xt);
        Assert.Equal(mixing.MixedShape(x.shape), mixing.Mixed.shape);
        // The accelerator's part, on the mixtures only.
        Tensor mixedY = PlainConvolution.Forward(mixing.Mixed, wt, null, Same);
        Tensor mixedDy = mixing.MixOutputGradient(dyt);
        Tensor mixedDx = ConvolutionGradients.InputGradient(mixedDy, wt, mixing.Mixed.shape, Same);
        Tensor untrusted = ConvolutionGradients.WeightGradient(mixing.Mixed, mixedDy, w.shape, Same);

        return (Relative(mixing.UnmixOutput(mixedY), y), Relative(mixing.UnmixInputGradient(mixedDx), dx), Relative(untrusted, dw));
    }

    /// <summary>The same three results without masking, in <paramref name="type"/>: the float32 baseline.</summary>
    private static (double Forward, double InputGradient, double WeightGradient) Unmasked(int batch, ScalarType type, long seed = 5)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        Tensor x = randn([batch, 16, 12, 12], dtype: ScalarType.Float64, generator: g).relu_().sub_(0.3);
        Tensor w = randn([24, 16, 3, 3], dtype: ScalarType.Float64, generator: g).div_(12);
        Tensor dy = randn([batch, 24, 12, 12], dtype: ScalarType.Float64, generator: g);
        Tensor xt = x.to(type), wt = w.to(type), dyt = dy.to(type);
        return (Relative(PlainConvolution.Forward(xt, wt, null, Same), PlainConvolution.Forward(x, w, null, Same)),
            Relative(ConvolutionGradients.InputGradient(dyt, wt, x.shape, Same), ConvolutionGradients.InputGradient(dy, w, x.shape, Same)),
            Relative(ConvolutionGradients.WeightGradient(xt, dyt, w.shape, Same), ConvolutionGradients.WeightGradient(x, dy, w.shape, Same)));
    }

    /// <summary>Largest error relative to the largest entry of the truth.</summary>
    private static double Relative(Tensor actual, Tensor truth) =>
        (actual.to(ScalarType.Float64) - truth).abs().max().ToDouble() / truth.abs().max().ToDouble();

    [Theory]
    [InlineData(4, 0.0, 11)] // the last group has 3 samples
    [InlineData(4, 4.0, 11)]
    [InlineData(1, 16.0, 3)]
    [InlineData(8, 4.0, 8)]
    [InlineData(32, 1.0, 5)] // one group smaller than g
    public void UnmixingIsExactInFloat64(int groupSize, double sigma, int batch)
    {
        var (f, dx, dw) = Errors(new MaskingSettings(groupSize, sigma), batch, ScalarType.Float64);
        output.WriteLine($"g {groupSize} σ {sigma} B {batch}: Y_U {f:E2}, dX {dx:E2}, dW_U {dw:E2}");
        Assert.True(f < 1e-12 && dx < 1e-12 && dw < 1e-12, $"Y_U {f:E2}, dX {dx:E2}, dW_U {dw:E2}");
    }

    [Fact]
    public void Float32ErrorStaysNearRounding()
    {
        // Measured on this machine (max error relative to the largest entry, vs float64, B = 16): unmasked float32
        // Y_U 4.2e-7, dX 4.1e-7, dW 8.2e-7; masked g 8 σ 4: 1.5e-6, 1.3e-6, 9.4e-6 (the noise makes each mixture
        // ~√(1 + σ²) as large, and dW_U also carries the rounding of grad_W(ν, ν'), ~σ²). Bounds: about 13× those
        // masked figures, and the error must grow with σ (the mixtures' size sets it).
        var plain = Unmasked(16, ScalarType.Float32);
        output.WriteLine($"unmasked float32: Y_U {plain.Forward:E2}, dX {plain.InputGradient:E2}, dW {plain.WeightGradient:E2}");
        foreach (double sigma in (double[])[0, 1, 4, 16])
            foreach (int g in (int[])[2, 8])
            {
                var (f, dx, dw) = Errors(new MaskingSettings(g, sigma), 16, ScalarType.Float32);
                output.WriteLine($"masked g {g} σ {sigma}: Y_U {f:E2} ({f / plain.Forward:0.0}×), dX {dx:E2} ({dx / plain.InputGradient:0.0}×), dW_U {dw:E2} ({dw / plain.WeightGradient:0.0}×)");
            }
        var (f4, dx4, dw4) = Errors(new MaskingSettings(8, 4), 16, ScalarType.Float32);
        Assert.True(f4 < 2e-5 && dx4 < 2e-5 && dw4 < 1.3e-4, $"g 8 σ 4: Y_U {f4:E2}, dX {dx4:E2}, dW_U {dw4:E2}");
        var (f0, _, dw0) = Errors(new MaskingSettings(8, 0), 16, ScalarType.Float32);
        Assert.True(f0 < 4 * f4 && dw0 < dw4, $"σ 0: Y_U {f0:E2}, dW_U {dw0:E2}; σ 4: {f4:E2}, {dw4:E2}");
    }

    [Fact]
    public void CoefficientsAreOrthogonalAndFreshEachTime()
    {
        using var scope = NewDisposeScope();
        using var mask = new DarknightMask(new MaskingSettings(4, 4, Seed: 1));
        Tensor x = randn(10, 3, 5, 5, dtype: ScalarType.Float64);
        ResidualMixing a = mask.Mix(x), b = mask.Mix(x);
        Assert.Equal(2, a.Blocks.Count); // two groups of 4, then one of 2
        Assert.Equal([2L, 6, 6], a.Blocks[0].Q(ScalarType.Float64).shape);
        Assert.Equal([1L, 4, 4], a.Blocks[1].Q(ScalarType.Float64).shape);
        Assert.Equal(10 + 3 * 2, a.Mixtures);
        foreach (ResidualMixing.Block block in a.Blocks)
        {
            Tensor q = block.Q(ScalarType.Float64);
            Tensor gram = q.transpose(1, 2).bmm(q);
            // Every mixture gets the same share of the forward noise (flat column g).
            Assert.True((q.narrow(2, block.Size, 1).abs() - 1 / Math.Sqrt(block.Size + 2)).abs().max().ToDouble() < 1e-14);
            Assert.True((gram - eye(block.Size + 2, dtype: ScalarType.Float64)).abs().max().ToDouble() < 1e-14);
        }
        Assert.True((a.Blocks[0].Q(ScalarType.Float64) - b.Blocks[0].Q(ScalarType.Float64)).abs().max().ToDouble() > 0.1); // a fresh draw per layer and step
        Assert.True((a.Mixed - b.Mixed).abs().max().ToDouble() > 0.1);
    }

    [Fact]
    public void NothingThatLeavesIsOneSamplesResidual()
    {
        // Correlation of every mixture with every sample's residual of its group, g 8, σ 4, over 64 samples of a
        // ReLU'd input minus its per-channel mean. Measured: max |ρ| 0.243, mean 0.078; unmasked every sample's own
        // correlation is 1, and the largest between two different samples is 0.122 (chance here). With Haar noise
        // columns instead of flat ones the largest was 0.836 (a mixture that drew little noise).
        using var scope = NewDisposeScope();
        using var g = new Generator(9);
        Tensor x = randn([64, 8, 10, 10], dtype: ScalarType.Float64, generator: g).relu_();
        x = x - x.mean([0L, 2L, 3L], keepdim: true);
        using var mask = new DarknightMask(new MaskingSettings(8, 4, Seed: 2));
        ResidualMixing mixing = mask.Mix(x);
        Tensor m = Standardise(mixing.Mixed.reshape(mixing.Mixtures, -1)), r = Standardise(x.reshape(64, -1));
        Tensor rho = m.matmul(r.T).abs(); // [K, B]
        double largest = 0, sum = 0;
        int count = 0;
        for (int group = 0; group < 8; group++)
        {
            Tensor block = rho.narrow(0, group * 10, 10).narrow(1, group * 8, 8);
            largest = Math.Max(largest, block.max().ToDouble());
            sum += block.sum().ToDouble();
            count += 80;
        }
        Tensor between = r.matmul(r.T).abs() - eye(64, dtype: ScalarType.Float64);
        output.WriteLine($"mixture vs own group's samples: max |ρ| {largest:0.000}, mean {sum / count:0.000}; between distinct samples max {between.max().ToDouble():0.000}");
        Assert.True(largest < 0.35, $"a mixture correlates {largest:0.000} with one sample's residual");
        Assert.True(sum / count < 0.12, $"mean |ρ| {sum / count:0.000}");
    }

    private static Tensor Standardise(Tensor rows)
    {
        Tensor centred = rows - rows.mean([1L], keepdim: true);
        return centred / centred.norm(1, keepdim: true);
    }

    [Theory]
    [InlineData("off", null, null)]
    [InlineData("darknight", 8, 4.0)]
    [InlineData("darknight:2", 2, 4.0)]
    [InlineData("DarKnight:16:0.5", 16, 0.5)]
    public void ParsesTheSettingsItNames(string text, int? groupSize, double? sigma)
    {
        MaskingSettings? settings = MaskingSettings.Parse(text);
        Assert.Equal(groupSize, settings?.GroupSize);
        Assert.Equal(sigma, settings?.NoiseRatio);
        if (settings is not null)
            Assert.Equal(settings, MaskingSettings.Parse(settings.Name));
    }

    [Theory]
    [InlineData("darknight:0")]
    [InlineData("darknight:-2")]
    [InlineData("darknight:4:-1")]
    [InlineData("darknight:4:nan")]
    [InlineData("darknight:4:1:2")]
    [InlineData("instahide")]
    public void RefusesWhatItCannotUse(string text)
    {
        Assert.Throws<FormatException>(() => MaskingSettings.Parse(text));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DarknightMask(new MaskingSettings(0, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DarknightMask(new MaskingSettings(4, double.PositiveInfinity)));
    }
}
