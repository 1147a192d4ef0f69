using System.Diagnostics;
using AsymML.Boundary.Messages;
using AsymML.Convolution;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Accelerator;

/// <summary>
/// The untrusted runtime: it convolves the residuals the enclave sends with the public weights the enclave gives it,
/// and answers each dY with dX and dW_U, which the enclave checks and applies in its own optimizer step. It keeps each
/// residual from forward to backward (it needs it for dW_U). It holds no authoritative state: the weights are the
/// enclave's (<see cref="WeightsMessage"/>, before the first step and after each update), and it never sees the
/// input, the labels, activations or X^T.
/// </summary>
public sealed class AcceleratorRuntime : IDisposable
{
    private readonly Dictionary<string, Tensor> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Conv2dLayer> _convolutions;
    private readonly Dictionary<string, Tensor> _residuals = new(StringComparer.Ordinal);
    private readonly Stopwatch _compute = new();

    /// <summary>Serves the convolutions of <paramref name="spec"/>; their weights arrive from the enclave.</summary>
    public AcceleratorRuntime(NetworkSpec spec, AcceleratorSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Settings = settings ?? new AcceleratorSettings();
        if (Settings.Threads is int threads) set_num_threads(threads);
        _convolutions = spec.AllLayers().OfType<Conv2dLayer>().ToDictionary(c => c.Path);
    }

    /// <summary>Tests only: called on the accelerator's thread once per training step, when the enclave's weight
    /// gradients arrive (the step's convolutions are done), with that thread's live TorchSharp tensor count, which
    /// must not grow from step to step.</summary>
    internal Action<long>? StepEnded { get; set; }

    /// <summary>Device and threads.</summary>
    public AcceleratorSettings Settings { get; }

    /// <summary>Time spent computing (convolutions and gradients) since creation.</summary>
    public TimeSpan ComputeTime => _compute.Elapsed;

    /// <summary>The weights of the split convolutions as the enclave last sent them (copies, CPU; public).</summary>
    public StateDict Weights() => new(_weights.Select(p => new KeyValuePair<string, Tensor>(p.Key, p.Value.cpu().clone())));

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
                    WeightsMessage m => Load(m),
                    WeightGradients => null, // public figures of the enclave's update: nothing to do
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

    private BoundaryMessage? Load(WeightsMessage m)
    {
        foreach (NamedTensor w in m.Weights)
        {
            string layer = w.Name.EndsWith(".weight", StringComparison.Ordinal) ? w.Name[..^".weight".Length] : w.Name;
            Convolution(layer);
            Tensor value = w.Value.to(Settings.Device, copy: true).DetachFromDisposeScope();
            if (_weights.Remove(w.Name, out Tensor? old)) old.Dispose();
            _weights[w.Name] = value;
        }
        return null;
    }

    private Tensor Weight(Conv2dLayer layer) => _weights.TryGetValue(layer.Path + ".weight", out Tensor? w)
        ? w
        : throw new InvalidOperationException($"The enclave asked to convolve '{layer.Path}' before it sent that layer's weights.");

    private ConvForwardReply Forward(ConvForward m)
    {
        Conv2dLayer layer = Convolution(m.Layer);
        Tensor residual = m.Residual.to(Settings.Device).DetachFromDisposeScope();
        if (_residuals.Remove(m.Layer, out Tensor? stale)) stale.Dispose();
        _residuals[m.Layer] = residual;
        Tensor output = PlainConvolution.Forward(residual, Weight(layer), null, ConvGeometry.Of(layer));
        return new ConvForwardReply(m.Layer, output.cpu());
    }

    private ConvBackwardReply Backward(ConvBackward m)
    {
        Conv2dLayer layer = Convolution(m.Layer);
        if (!_residuals.Remove(m.Layer, out Tensor? residual))
            throw new InvalidOperationException($"dY for layer '{m.Layer}' arrived before its residual.");
        using (residual)
        {
            Tensor weight = Weight(layer);
            Tensor dy = m.OutputGradient.to(Settings.Device);
            // One convolution_backward for both gradients, on the real residual: the input-gradient-only path
            // passes an expanded (stride-0) input, which LibTorch may send down a slower kernel.
            (Tensor? inputGradient, Tensor weightGradient) = m.NeedInputGradient
                ? ConvolutionGradients.InputAndWeightGradients(residual, dy, weight, ConvGeometry.Of(layer))
                : (null, ConvolutionGradients.WeightGradient(residual, dy, weight.shape, ConvGeometry.Of(layer)));
            return new ConvBackwardReply(m.Layer, inputGradient?.cpu(), weightGradient.cpu()); // dW_U goes to the enclave
        }
    }

    private Conv2dLayer Convolution(string path) => _convolutions.TryGetValue(path, out Conv2dLayer? layer)
        ? layer
        : throw new InvalidOperationException($"The enclave asked about '{path}', which is not a convolution of the network.");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in _residuals.Values.Concat(_weights.Values)) t.Dispose();
    }
}
