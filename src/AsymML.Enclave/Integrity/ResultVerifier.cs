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
/// single-channel convolution (about 1/(B·M) of the layer) and a few matrix-vector products over the tensors.
/// Likewise dX, through the transposed convolution with the input channels combined, and dW_U: with secret weights
/// r over output channels, Σ_o r_o dW_U[o] = grad_W(X^U, Σ_o r_o dY_o), the weight gradient of one output channel
/// (about 1/M of the layer's weight gradient); its allowance counts the M terms of the combination with the B·H·W
/// products of each element, since with few output positions and many channels the combination's own rounding dominates. Computed in the tensors' own
/// type: the combinations' rounding is of the same order as one output's (measured), well inside the allowance.
/// <para>Allowance: an honest float32 convolution's error per output is ≲ u·√n·√(Σ x²w²) (n terms; rounding errors of
/// mixed sign), so the combination's error is ≲ u·√n·√(Σ_b,m s_b² c_m² Σ x²w²) = u·√n·√conv(Σ s²X², Σ c²W²): one more
/// small convolution. A result fails when it is off by more than <see cref="Slack"/> times that anywhere.
/// Honest float32 results measured at most 1.9 times it (docs/integrity.md); a lie of 1% of the
/// output is hundreds of times larger. A lie smaller than rounding is neither detectable nor harmful.</para>
/// </summary>
internal sealed class ResultVerifier : IDisposable
{
    /// <summary>How many rounding allowances a result may be off; ≥ 10× the largest honest deviation measured.</summary>
    public const double Slack = 32;

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

    private readonly System.Diagnostics.Stopwatch _clock = new();

    /// <summary>Results checked so far.</summary>
    public long Checked { get; private set; }

    /// <summary>Time spent checking so far.</summary>
    public TimeSpan Spent => _clock.Elapsed;

    /// <summary>Part of <see cref="Spent"/> on dW_U.</summary>
    public TimeSpan SpentOnWeightGradients { get; private set; }

    /// <summary>Throws <see cref="IntegrityException"/> unless <paramref name="output"/> = conv(<paramref name="residual"/>, <paramref name="weight"/>).</summary>
    public void Forward(string layer, long step, Tensor residual, Tensor weight, Tensor output, ConvGeometry geometry) =>
        Check("Y_U", layer, step, () => ForwardDeviation(residual, weight, output, geometry));

    /// <summary>Throws <see cref="IntegrityException"/> unless <paramref name="inputGradient"/> is dX of
    /// <paramref name="outputGradient"/> through <paramref name="weight"/>.</summary>
    public void InputGradient(string layer, long step, Tensor outputGradient, Tensor weight, Tensor inputGradient, ConvGeometry geometry) =>
        Check("dX", layer, step, () => InputGradientDeviation(outputGradient, weight, inputGradient, geometry));

    /// <summary>Throws <see cref="IntegrityException"/> unless <paramref name="weightGradient"/> = grad_W(<paramref name="residual"/>,
    /// <paramref name="outputGradient"/>). Always checks: whether dW_U of a layer is checked is decided (<see cref="Draw"/>)
    /// in forward, when the enclave decides whether to keep the residual for it.</summary>
    public void WeightGradient(string layer, long step, Tensor residual, Tensor outputGradient, Tensor weightGradient, ConvGeometry geometry) =>
        Check("dW_U", layer, step, () => WeightGradientDeviation(residual, outputGradient, weightGradient, geometry), drawn: true);

    /// <summary>Whether the next result is checked (always under <c>all</c>, with the settings' probability under
    /// <c>sample:p</c>, never under <c>off</c>), drawn from the secret stream.</summary>
    public bool Draw() => Due();

    private void Check(string tensor, string layer, long step, Func<double> deviation, bool drawn = false)
    {
        if (!drawn && !Due()) return;
        double ratio;
        TimeSpan before = _clock.Elapsed;
        _clock.Start();
        try
        {
            ratio = deviation();
        }
        finally
        {
            _clock.Stop();
            if (drawn) SpentOnWeightGradients += _clock.Elapsed - before;
        }
        if (!(ratio <= Slack))
            throw new IntegrityException(tensor, layer, step, ratio);
    }

    /// <summary>The largest deviation of Y from conv(X, W) over the combined outputs, in rounding allowances.</summary>
    internal double ForwardDeviation(Tensor residual, Tensor weight, Tensor output, ConvGeometry geometry)
    {
        using var scope = NewDisposeScope();
        Tensor x = residual.detach(), w = weight.detach(), y = output.detach();
        Tensor s = Weights(x.shape[0], x.dtype), c = Weights(w.shape[0], x.dtype);
        Tensor claimed = Combine(c, Combine(s, y).view(w.shape[0], -1)); // Σ_b Σ_m s_b c_m Y_bm, per output position
        Tensor exact = PlainConvolution.Forward(Combine(s, x).unsqueeze(0), Combine(c, w).unsqueeze(0), null, geometry);
        Tensor scale = PlainConvolution.Forward(Combine(s.square(), x.square()).unsqueeze(0), Combine(c.square(), w.square()).unsqueeze(0), null, geometry).sqrt_();
        return Deviation(claimed, exact.flatten(), scale.flatten(), w.shape[1] * w.shape[2] * w.shape[3], output.dtype);
    }

    /// <summary>The largest deviation of dX from its exact value over the combined inputs, in rounding allowances.</summary>
    internal double InputGradientDeviation(Tensor outputGradient, Tensor weight, Tensor inputGradient, ConvGeometry geometry)
    {
        using var scope = NewDisposeScope();
        Tensor dy = outputGradient.detach(), w = weight.detach(), dx = inputGradient.detach();
        Tensor s = Weights(dy.shape[0], dy.dtype), t = Weights(w.shape[1], dy.dtype);
        long[] shape = [1, 1, dx.shape[2], dx.shape[3]];
        Tensor wt = w.transpose(0, 1); // [N, M, kh, kw]: combine over input channels
        Tensor claimed = Combine(t, Combine(s, dx).view(w.shape[1], -1));
        Tensor exact = ConvolutionGradients.InputGradient(Combine(s, dy).unsqueeze(0), Combine(t, wt).unsqueeze(1), shape, geometry);
        Tensor scale = ConvolutionGradients.InputGradient(Combine(s.square(), dy.square()).unsqueeze(0), Combine(t.square(), wt.square()).unsqueeze(1), shape, geometry)
            .clamp_min_(0).sqrt_();
        return Deviation(claimed, exact.flatten(), scale.flatten(), w.shape[0] * w.shape[2] * w.shape[3], inputGradient.dtype);
    }

    /// <summary>The largest deviation of dW from grad_W(X, dY) over the combined output channels, in rounding allowances.</summary>
    internal double WeightGradientDeviation(Tensor residual, Tensor outputGradient, Tensor weightGradient, ConvGeometry geometry)
    {
        using var scope = NewDisposeScope();
        Tensor x = residual.detach(), dy = outputGradient.detach(), dw = weightGradient.detach();
        long b = dy.shape[0], m = dy.shape[1], positions = dy.shape[2] * dy.shape[3];
        Tensor r = Weights(m, dy.dtype);
        long[] shape = [1, dw.shape[1], dw.shape[2], dw.shape[3]];
        Tensor claimed = Combine(r, dw).flatten(); // Σ_o r_o dW[o], [N·kh·kw]
        // Σ_o r_o dY[:, o] per sample: one batched matrix-vector product, [B, 1, H_out, W_out].
        Tensor combined = r.view(1, 1, m).matmul(dy.reshape(b, m, positions)).view(b, 1, dy.shape[2], dy.shape[3]);
        Tensor exact = ConvolutionGradients.WeightGradient(x, combined, shape, geometry);
        Tensor squares = r.square().view(1, 1, m).matmul(dy.square().reshape(b, m, positions)).view(b, 1, dy.shape[2], dy.shape[3]);
        Tensor scale = ConvolutionGradients.WeightGradient(x.square(), squares, shape, geometry).clamp_min_(0).sqrt_();
        // Terms: the B·H_out·W_out products of each dW element, plus the M the combination itself adds up: with few
        // positions and many channels (a late VGG layer: 2·4·4 products, 512 channels) the combination's own rounding
        // is the larger part (measured 11.8 allowances counting the products alone, on 2 × 512 → 512, 4 × 4).
        return Deviation(claimed, exact.flatten(), scale.flatten(), b * positions + m, weightGradient.dtype);
    }

    /// <summary>Σ_i weights_i · tensor_i over the first dimension: one matrix-vector product, no copies.</summary>
    private static Tensor Combine(Tensor weights, Tensor tensor)
    {
        long[] rest = tensor.shape[1..];
        return weights.unsqueeze(0).matmul(tensor.reshape(tensor.shape[0], -1)).view(rest);
    }

    private double Deviation(Tensor claimed, Tensor exact, Tensor scale, long terms, ScalarType type)
    {
        Checked++;
        double u = type == ScalarType.Float64 ? 1.1102230246251565e-16 /* 2⁻⁵³ */ : _settings.UnitRoundoff;
        Tensor allowance = scale.mul(u * Math.Sqrt(terms));
        // An exact match passes whatever the allowance: where dY (or the input) is all zeros, both sides and the
        // allowance are exactly 0, and 0/0 would be NaN, a false alarm (double.Epsilon as a floor rounds to 0 in float32).
        Tensor difference = (claimed - exact).abs();
        return where(difference.eq(0), zeros_like(difference), difference.div(allowance)).max().ToDouble();
    }

    private bool Due() => _settings.Probability >= 1 || (_settings.Probability > 0 && rand(1, generator: _random).ToDouble() < _settings.Probability);

    private Tensor Weights(long count, ScalarType type) => randn(count, dtype: type, generator: _random);

    public void Dispose() => _random.Dispose();
}
