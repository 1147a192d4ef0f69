using AsymML.Boundary.Messages;
using AsymML.Convolution;
using AsymML.Decomposition;
using AsymML.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using AsymML.Enclave.Convolution;
using AsymML.Enclave.Masking;

namespace AsymML.Enclave;

/// <summary>
/// A convolution inside the enclave. Split (its rank assignment says so): the input is decomposed, the residual goes
/// to the host, the low-rank part is convolved here (Eq. 4), and the outputs are merged with the bias; backward sends
/// dY, computes dW_T here (Eq. 5) and takes dX and dW_U from the host, each checked; the runtime adds the checked dW_U
/// (<see cref="TakeUntrustedGradient"/>) to dW_T before its optimizer step. Not split: an ordinary convolution, all inside.
/// Parameters are named <c>weight</c> and <c>bias</c>, as nn.Conv2d's, so state dicts fit unchanged.
/// </summary>
internal sealed class TrustedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly EnclaveContext _context;
    private Tensor? _keptResidual;      // X^U as sent, kept from forward to backward for the dW_U check
    private Tensor? _untrustedGradient; // dW_U of the last backward, checked (or drawn unchecked)

    public TrustedConv2d(Conv2dLayer layer, EnclaveContext context) : base(layer.Path)
    {
        Layer = layer;
        _context = context;
        Assignment = context.Settings.Ranks.GetValueOrDefault(layer.Path);
        Geometry = ConvGeometry.Of(layer);
        register_parameter("weight", new Parameter(empty(layer.OutChannels, layer.InChannels, layer.KernelHeight, layer.KernelWidth)));
        if (layer.HasBias)
            register_parameter("bias", new Parameter(empty(layer.OutChannels)));
    }

    public Conv2dLayer Layer { get; }

    public RankAssignment? Assignment { get; }

    public bool IsSplit => Assignment is { Split: true };

    public ConvGeometry Geometry { get; }

    // Looked up each time: module.to(type or device) replaces registered parameters.
    public Parameter Weight => get_parameter("weight") ?? throw new InvalidOperationException($"'{Layer.Path}' lost its weight.");

    public Parameter? Bias => Layer.HasBias ? get_parameter("bias") : null;

    /// <summary>Parks a failure raised inside backward (see <see cref="SplitConvolutionFunction"/>).</summary>
    public void Fail(Exception e) => _context.Fail(e);

    /// <summary>Largest |x| the split takes: its Gram matrix sums up to ~10⁶ squares, which must stay below
    /// float32's 3.4·10³⁸. Activations of a network that still learns are many orders of magnitude smaller.</summary>
    private const double MaxSplitMagnitude = 1e12;

    public override Tensor forward(Tensor input) => IsSplit
        ? SplitConvolutionFunction.apply(input, Weight, Bias!, this)
        : nn.functional.conv2d(input, Weight, Bias, strides: [Geometry.StrideH, Geometry.StrideW],
            padding: [Geometry.PaddingH, Geometry.PaddingW], dilation: [Geometry.DilationH, Geometry.DilationW]);

    /// <summary>Forward of the split: returns Y and keeps the factors U, V (and the masking's coefficients, when the
    /// settings mask) for backward.</summary>
    public (Tensor Output, Tensor U, Tensor V, ResidualMixing? Mixing) SplitForward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var options = new LowRankSplitOptions
        {
            Rank = Assignment!.Rank,
            Method = _context.Settings.Method,
            MaxIterations = _context.Settings.MaxIterations,
        };
        using (Tensor largest = input.detach().abs().max()) // NaN, ∞, or so large the split's Gram matrix overflows
            if (!(largest.ToDouble() <= MaxSplitMagnitude))
                throw new StepDivergedException(Layer.Path);
        using LowRankFactors factors = LowRankSplit.Split(input.detach(), options);
        Tensor sent = _context.Protect(Layer.Path, factors.Residual); // kept until the reply is checked
        ResidualMixing? mixing = _context.Masking?.Mix(sent); // its coefficients live in the step's scope
        Tensor outgoing = mixing?.Mixed ?? sent;
        _context.Endpoint.Send(new ConvForward(Layer.Path, outgoing));
        KeepForWeightGradientCheck(outgoing); // dW_U is computed (and checked) over what crossed: the mixtures
        // The host convolves the residual meanwhile.
        Tensor trusted = TrustedConvolution.Forward(factors, Weight.detach(), Geometry);
        using ConvForwardReply reply = _context.Expect<ConvForwardReply>(Layer.Path);
        Tensor residualOutput = HostGate.Checked(reply.Output, mixing?.MixedShape(trusted.shape) ?? trusted.shape, trusted.dtype, "Y_U", Layer.Path);
        // Checked as sent: the combination commutes with the mixing as with any linear map.
        _context.Verifier.Forward(Layer.Path, _context.Step, outgoing, Weight, residualOutput, Geometry);
        if (mixing is not null) residualOutput = mixing.UnmixOutput(residualOutput);
        Tensor output = trusted.add_(residualOutput);
        if (Bias is not null)
            output.add_(Bias.detach().view(1, -1, 1, 1));
        return (output.MoveToOuterDisposeScope(), factors.U.clone().MoveToOuterDisposeScope(), factors.V.clone().MoveToOuterDisposeScope(), mixing);
    }

    /// <summary>Keeps X^U (a copy) until backward when this step trains and the dW_U check is drawn for it; charged to
    /// the ledger. The draw is made here so that an unchecked layer costs no memory.</summary>
    private void KeepForWeightGradientCheck(Tensor sent)
    {
        _keptResidual?.Dispose();
        _keptResidual = null;
        if (!_context.Training || !_context.Verifier.Draw()) return;
        _keptResidual = sent.detach().clone().DetachFromDisposeScope();
        _context.Ledger.Charge("residuals kept for the dW_U check", EnclaveRuntime.Bytes(_keptResidual));
    }

    /// <summary>The checked dW_U of the last backward (the caller owns it), or null when there was none.</summary>
    public Tensor? TakeUntrustedGradient()
    {
        Tensor? g = _untrustedGradient;
        _untrustedGradient = null;
        return g;
    }

    /// <summary>Frees what a step that did not finish left behind (a kept residual, an unused dW_U).</summary>
    public void ClearStep()
    {
        _keptResidual?.Dispose();
        _untrustedGradient?.Dispose();
        (_keptResidual, _untrustedGradient) = (null, null);
    }

    /// <summary>Backward of the split: dX from the host (when wanted), dW_T and the bias gradient here.</summary>
    /// <remarks>With masking, dY leaves mixed with the forward's coefficients (<paramref name="mixing"/>), so the
    /// host's dW_U over the mixtures is the exact sum, and dX is un-mixed here after it is checked.</remarks>
    public (Tensor? InputGradient, Tensor WeightGradient, Tensor? BiasGradient) SplitBackward(Tensor u, Tensor v, Tensor outputGradient, long[] inputShape, bool needInputGradient,
        ResidualMixing? mixing = null)
    {
        using var scope = NewDisposeScope();
        Tensor outgoing = mixing?.MixOutputGradient(outputGradient) ?? outputGradient;
        _context.Endpoint.Send(new ConvBackward(Layer.Path, outgoing, needInputGradient));
        // The host computes dX and dW_U meanwhile.
        Tensor weightGradient = TrustedConvolution.WeightGradient(u, v, outputGradient, inputShape[2], inputShape[3], Weight.shape, Geometry);
        Tensor? biasGradient = Bias is null ? null : outputGradient.sum([0L, 2L, 3L]);
        using ConvBackwardReply reply = _context.Expect<ConvBackwardReply>(Layer.Path);
        Tensor? inputGradient = null;
        if (needInputGradient)
        {
            inputGradient = HostGate.Checked(reply.InputGradient, mixing?.MixedShape(inputShape) ?? inputShape, outputGradient.dtype, "dX", Layer.Path).clone();
            _context.Verifier.InputGradient(Layer.Path, _context.Step, outgoing, Weight, inputGradient, Geometry);
            if (mixing is not null) inputGradient = mixing.UnmixInputGradient(inputGradient);
        }
        Tensor untrusted = HostGate.Checked(reply.WeightGradient, Weight.shape, Weight.dtype, "dW_U", Layer.Path);
        using (Tensor? residual = _keptResidual)
        {
            _keptResidual = null;
            if (residual is not null)
                _context.Verifier.WeightGradient(Layer.Path, _context.Step, residual, outgoing, untrusted, Geometry); // over what crossed (mixtures, when masked)
        }
        _untrustedGradient?.Dispose();
        _untrustedGradient = untrusted.clone().DetachFromDisposeScope();
        _context.Ledger.Charge("dW_U of " + Layer.Path, EnclaveRuntime.Bytes(_untrustedGradient));
        return (inputGradient?.MoveToOuterDisposeScope(), weightGradient.MoveToOuterDisposeScope(), biasGradient?.MoveToOuterDisposeScope());
    }
}
