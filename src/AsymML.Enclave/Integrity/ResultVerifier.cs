using TorchSharp;
using System.Security.Cryptography;
using AsymML.Boundary.Session;
using AsymML.Convolution;
using static TorchSharp.torch;

namespace AsymML.Enclave.Integrity;

/// <summary>
/// Checks the accelerator's convolutions without redoing them (Freivalds' idea, as in Slalom, for training too).
/// With fresh secret Gaussian weights s over samples and c over channels, a linear map commutes with the
/// combination: Σ_b Σ_m s_b c_m conv(X_b, W)_m = conv(Σ_b s_b X_b, Σ_m c_m W_m), one single-sample,
/// single-channel convolution (about 1/(B·M) of the layer). Likewise dX, through the transposed convolution with the
/// input channels combined. The combinations are computed in float64, so the difference is the host's rounding
/// error plus whatever it lied about.
/// <para>Allowance: an honest float32 convolution's error per output is ≲ u·√n·√(Σ x²w²) (n terms; rounding errors of
/// mixed sign), so the combination's error is ≲ u·√n·√(Σ_b,m s_b² c_m² Σ x²w²) = u·√n·√conv(Σ s²X², Σ c²W²): one more
/// small convolution. A result fails when it is off by more than <see cref="Slack"/> times that anywhere.
/// Honest float32 results measured at most 0.6 times it (docs/integrity.md); a lie of 1% of the
/// output is hundreds of times larger. A lie smaller than rounding is neither detectable nor harmful.</para>
/// </summary>
internal sealed class ResultVerifier : IDisposable
{
    /// <summary>How many rounding allowances a result may be off; ≥ 10× the largest honest deviation measured.</summary>
    public const double Slack = 16;

    private readonly VerificationSettings _settings;
    private readonly Generator _random;

    public ResultVerifier(VerificationSettings settings)
    {
        settings.Validate();
        _settings = settings;
        // The OS's cryptographic source seeds the stream: the host cannot predict the combinations, so it cannot
        // craft a lie they cancel.
        _random = new Generator((ulong)(BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue));
    }

    /// <summary>Results checked so far.</summary>
    public long Checked { get; private set; }

    /// <summary>Throws <see cref="IntegrityException"/> unless <paramref name="output"/> = conv(<paramref name="residual"/>, <paramref name="weight"/>).</summary>
    public void Forward(string layer, long step, Tensor residual, Tensor weight, Tensor output, ConvGeometry geometry)
    {
        if (!Due()) return;
        double ratio = ForwardDeviation(residual, weight, output, geometry);
        if (!(ratio <= Slack))
            throw new IntegrityException("Y_U", layer, step, ratio);
    }

    /// <summary>Throws <see cref="IntegrityException"/> unless <paramref name="inputGradient"/> is dX of
    /// <paramref name="outputGradient"/> through <paramref name="weight"/>.</summary>
    public void InputGradient(string layer, long step, Tensor outputGradient, Tensor weight, Tensor inputGradient, ConvGeometry geometry)
    {
        if (!Due()) return;
        double ratio = InputGradientDeviation(outputGradient, weight, inputGradient, geometry);
        if (!(ratio <= Slack))
            throw new IntegrityException("dX", layer, step, ratio);
    }

    /// <summary>The largest deviation of Y from conv(X, W) over the combined outputs, in rounding allowances.</summary>
    internal double ForwardDeviation(Tensor residual, Tensor weight, Tensor output, ConvGeometry geometry)
    {
        using var scope = NewDisposeScope();
        Tensor x = residual.detach().to(ScalarType.Float64), w = weight.detach().to(ScalarType.Float64), y = output.detach().to(ScalarType.Float64);
        Tensor s = Weights(x.shape[0]), c = Weights(w.shape[0]);
        Tensor claimed = einsum("b,m,bmhw->hw", s, c, y);
        Tensor exact = PlainConvolution.Forward(einsum("b,bchw->chw", s, x).unsqueeze(0), einsum("m,mcij->cij", c, w).unsqueeze(0), null, geometry)[0, 0];
        Tensor scale = PlainConvolution.Forward(einsum("b,bchw->chw", s.square(), x.square()).unsqueeze(0),
            einsum("m,mcij->cij", c.square(), w.square()).unsqueeze(0), null, geometry)[0, 0].sqrt();
        long terms = w.shape[1] * w.shape[2] * w.shape[3];
        return Deviation(claimed, exact, scale, terms, output.dtype);
    }

    /// <summary>The largest deviation of dX from its exact value over the combined inputs, in rounding allowances.</summary>
    internal double InputGradientDeviation(Tensor outputGradient, Tensor weight, Tensor inputGradient, ConvGeometry geometry)
    {
        using var scope = NewDisposeScope();
        Tensor dy = outputGradient.detach().to(ScalarType.Float64), w = weight.detach().to(ScalarType.Float64), dx = inputGradient.detach().to(ScalarType.Float64);
        Tensor s = Weights(dy.shape[0]), t = Weights(w.shape[1]);
        long[] shape = [1, 1, dx.shape[2], dx.shape[3]];
        Tensor claimed = einsum("b,c,bchw->hw", s, t, dx);
        Tensor exact = ConvolutionGradients.InputGradient(einsum("b,bmhw->mhw", s, dy).unsqueeze(0), einsum("c,mcij->mij", t, w).unsqueeze(1), shape, geometry)[0, 0];
        Tensor scale = ConvolutionGradients.InputGradient(einsum("b,bmhw->mhw", s.square(), dy.square()).unsqueeze(0),
            einsum("c,mcij->mij", t.square(), w.square()).unsqueeze(1), shape, geometry)[0, 0].clamp_min(0).sqrt();
        long terms = w.shape[0] * w.shape[2] * w.shape[3];
        return Deviation(claimed, exact, scale, terms, inputGradient.dtype);
    }

    private double Deviation(Tensor claimed, Tensor exact, Tensor scale, long terms, ScalarType type)
    {
        Checked++;
        double u = type == ScalarType.Float64 ? 1.1102230246251565e-16 /* 2⁻⁵³ */ : _settings.UnitRoundoff;
        Tensor allowance = scale.mul(u * Math.Sqrt(terms)).clamp_min(double.Epsilon);
        return (claimed - exact).abs().div(allowance).max().ToDouble();
    }

    private bool Due() => _settings.Probability >= 1 || (_settings.Probability > 0 && rand(1, generator: _random).ToDouble() < _settings.Probability);

    private Tensor Weights(long count) => randn(count, dtype: ScalarType.Float64, generator: _random);

    public void Dispose() => _random.Dispose();
}
