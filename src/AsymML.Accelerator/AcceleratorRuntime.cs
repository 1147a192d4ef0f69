using System.Diagnostics;
using AsymML.Boundary.Messages;
using AsymML.Convolution;
using AsymML.Network;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AsymML.Accelerator;

/// <summary>
/// The untrusted runtime: it holds the public weights and the optimizer, convolves the residuals the enclave sends,
/// computes dX and dW_U from dY, merges dW = dW_T + dW_U and steps the optimizer. It keeps each residual from forward
/// to backward (it needs it for dW_U). It never sees the input, the labels, activations or X^T.
/// </summary>
public sealed class AcceleratorRuntime : IDisposable
{
    private readonly Dictionary<string, Parameter> _parameters = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly Dictionary<string, Conv2dLayer> _convolutions;
    private readonly Dictionary<string, Tensor> _residuals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _untrustedGradients = new(StringComparer.Ordinal);
    private readonly optim.Optimizer _optimizer;
    private readonly Stopwatch _compute = new();

    /// <summary>Takes the network's initial state (copied to the device) and builds the optimizer.</summary>
    public AcceleratorRuntime(NetworkSpec spec, StateDict initialState, OptimizerSettings optimizer, AcceleratorSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(optimizer);
        Settings = settings ?? new AcceleratorSettings();
        if (Settings.Threads is int threads) set_num_threads(threads);
        initialState.Validate(spec);
        var buffers = spec.Parameters.Where(p => p.IsBuffer).Select(p => p.Name).ToHashSet();
        foreach (string name in initialState.Names)
        {
            Tensor value = initialState[name].to(Settings.Device, copy: true).DetachFromDisposeScope();
            if (buffers.Contains(name)) _buffers.Add(new(name, value));
            else _parameters[name] = new Parameter(value);
        }
        _convolutions = spec.AllLayers().OfType<Conv2dLayer>().ToDictionary(c => c.Path);
        _optimizer = optimizer.Create(_parameters.Values);
    }

    /// <summary>Tests only: when set, <see cref="LastGradients"/> keeps a copy of the merged gradients of each step.</summary>
    internal bool RecordGradients { get; set; }

    /// <summary>Tests only: the merged gradients (dW_T + dW_U for split convolutions) of the last step.</summary>
    internal Dictionary<string, Tensor> LastGradients { get; } = new(StringComparer.Ordinal);

    /// <summary>Tests only: called on the accelerator's thread after each optimizer step (once the step's tensors
    /// are freed) with that thread's live TorchSharp tensor count, which must not grow from step to step.</summary>
    internal Action<long>? StepEnded { get; set; }

    /// <summary>Device and threads.</summary>
    public AcceleratorSettings Settings { get; }

    /// <summary>Time spent computing (convolutions, gradients, optimizer) since creation.</summary>
    public TimeSpan ComputeTime => _compute.Elapsed;

    /// <summary>The current weights (copies, CPU).</summary>
    public StateDict Weights() => new(_parameters.Select(p => new KeyValuePair<string, Tensor>(p.Key, p.Value.detach().cpu().clone())));

    /// <summary>The optimizer's state (momentum or Adam moments; the step count), for checkpoints.</summary>
    public byte[] ExportOptimizerState() => OptimizerSnapshot.Export(_optimizer);

    /// <summary>Restores a state from <see cref="ExportOptimizerState"/> of an optimizer of the same kind and parameters.</summary>
    /// <exception cref="InvalidDataException">The state does not fit this optimizer.</exception>
    public void ImportOptimizerState(byte[] state) => OptimizerSnapshot.Import(_optimizer, state);

    /// <summary>Sets the optimizer's learning rate (the host runs the schedule; the enclave need not know).</summary>
    public void SetLearningRate(double learningRate) => OptimizerSnapshot.SetLearningRate(_optimizer, learningRate);

    /// <summary>The message that gives the enclave the full initial state (weights and BatchNorm buffers).</summary>
    public WeightsMessage InitialState() =>
        new(_parameters.Select(p => new NamedTensor(p.Key, p.Value.detach())).Concat(_buffers.Select(b => new NamedTensor(b.Key, b.Value.detach()))).ToList()); // new handles: the caller disposes the message

    /// <summary>Answers one request of the enclave; null when it needs no answer. The caller disposes both.</summary>
    public BoundaryMessage? Handle(BoundaryMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _compute.Start();
        try
        {
            BoundaryMessage? reply;
            using (NewDisposeScope())
            {
                reply = request switch
                {
                    ConvForward m => Forward(m),
                    ConvBackward m => Backward(m),
                    WeightGradients m => Step(m),
                    _ => throw new InvalidOperationException($"The accelerator does not serve {request.Kind}."),
                };
                foreach (Tensor t in reply?.Tensors ?? []) t.MoveToOuterDisposeScope();
            }
            if (request is WeightGradients)
                StepEnded?.Invoke(TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
            return reply;
        }
        finally
        {
            _compute.Stop();
        }
    }

    private ConvForwardReply Forward(ConvForward m)
    {
        Conv2dLayer layer = Convolution(m.Layer);
        Tensor residual = m.Residual.to(Settings.Device).DetachFromDisposeScope();
        if (_residuals.Remove(m.Layer, out Tensor? stale)) stale.Dispose();
        _residuals[m.Layer] = residual;
        Tensor output = PlainConvolution.Forward(residual, _parameters[layer.Path + ".weight"].detach(), null, ConvGeometry.Of(layer));
        return new ConvForwardReply(m.Layer, output.cpu());
    }

    private ConvBackwardReply Backward(ConvBackward m)
    {
        Conv2dLayer layer = Convolution(m.Layer);
        if (!_residuals.Remove(m.Layer, out Tensor? residual))
            throw new InvalidOperationException($"dY for layer '{m.Layer}' arrived before its residual.");
        using (residual)
        {
            Tensor weight = _parameters[layer.Path + ".weight"].detach();
            Tensor dy = m.OutputGradient.to(Settings.Device);
            // One convolution_backward for both gradients, on the real residual: the input-gradient-only path
            // passes an expanded (stride-0) input, which LibTorch may send down a slower kernel.
            (Tensor? inputGradient, Tensor weightGradient) = m.NeedInputGradient
                ? ConvolutionGradients.InputAndWeightGradients(residual, dy, weight, ConvGeometry.Of(layer))
                : (null, ConvolutionGradients.WeightGradient(residual, dy, weight.shape, ConvGeometry.Of(layer)));
            if (_untrustedGradients.Remove(m.Layer, out Tensor? old)) old.Dispose();
            _untrustedGradients[m.Layer] = weightGradient.DetachFromDisposeScope();
            return new ConvBackwardReply(m.Layer, inputGradient?.cpu());
        }
    }

    private WeightsMessage Step(WeightGradients m)
    {
        foreach (NamedTensor g in m.Gradients)
        {
            if (!_parameters.TryGetValue(g.Name, out Parameter? p))
                throw new InvalidOperationException($"Gradient for unknown parameter '{g.Name}'.");
            if (!g.Value.shape.SequenceEqual(p.shape))
                throw new InvalidOperationException($"Gradient of '{g.Name}' has shape [{string.Join(", ", g.Value.shape)}], the parameter [{string.Join(", ", p.shape)}].");
            Tensor gradient = g.Value.to(Settings.Device);
            string layer = g.Name.EndsWith(".weight", StringComparison.Ordinal) ? g.Name[..^".weight".Length] : "";
            if (_untrustedGradients.Remove(layer, out Tensor? untrusted))
                using (untrusted) gradient = gradient + untrusted; // dW = dW_T + dW_U
            p.grad = gradient; // the parameter takes its own reference: this wrapper stays in the step's scope
            if (RecordGradients)
            {
                if (LastGradients.Remove(g.Name, out Tensor? previous)) previous.Dispose();
                LastGradients[g.Name] = gradient.detach().cpu().clone().DetachFromDisposeScope();
            }
        }
        _optimizer.step();
        foreach (Parameter p in _parameters.Values) p.grad = null;
        return new WeightsMessage(_parameters.Select(p => new NamedTensor(p.Key, p.Value.detach().cpu())).ToList());
    }

    private Conv2dLayer Convolution(string path) => _convolutions.TryGetValue(path, out Conv2dLayer? layer)
        ? layer
        : throw new InvalidOperationException($"The enclave asked about '{path}', which is not a convolution of the network.");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in _residuals.Values.Concat(_untrustedGradients.Values)) t.Dispose();
        foreach (Parameter p in _parameters.Values) p.Dispose();
        foreach (var b in _buffers) b.Value.Dispose();
        _optimizer.Dispose();
    }
}
