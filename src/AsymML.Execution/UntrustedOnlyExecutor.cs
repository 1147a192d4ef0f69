using System.Diagnostics;
using AsymML.Accelerator;
using AsymML.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AsymML.Execution;

/// <summary>The whole network on the accelerator in plaintext with ordinary autograd: the fast baseline, and the
/// oracle the split must match. Not private: the host sees everything.</summary>
public sealed class UntrustedOnlyExecutor : IExecutor
{
    private readonly ReferenceNetwork _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Device _device;

    /// <summary>Builds the model from <paramref name="initialState"/> on the accelerator's device.</summary>
    public UntrustedOnlyExecutor(NetworkSpec spec, StateDict initialState, OptimizerSettings optimizer, AcceleratorSettings? accelerator = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        AcceleratorSettings settings = accelerator ?? new AcceleratorSettings();
        if (settings.Threads is int threads) set_num_threads(threads);
        _device = settings.Device;
        _model = new ReferenceNetwork(spec, initialState);
        _model.to(_device);
        _optimizer = optimizer.Create(_model.parameters().Cast<Parameter>());
    }

    /// <inheritdoc />
    public ExecutionMode Mode => ExecutionMode.UntrustedOnly;

    /// <summary>The model, for tests (the oracle's logits and gradients).</summary>
    internal ReferenceNetwork Model => _model;

    /// <inheritdoc />
    public StepReport TrainStep(Tensor input, Tensor labels) => Run(input, labels, training: true);

    /// <inheritdoc />
    public StepReport Infer(Tensor input, Tensor labels) => Run(input, labels, training: false);

    /// <inheritdoc />
    public StateDict ExportState() => StateDict.FromModule(_model);

    private StepReport Run(Tensor input, Tensor labels, bool training)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        _model.train(training);
        using IDisposable? noGrad = training ? null : no_grad();
        Tensor y = labels.to(ScalarType.Int64).to(_device);
        Tensor logits = _model.forward(input.to(_device));
        Tensor loss = nn.functional.cross_entropy(logits, y);
        if (training)
        {
            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();
        }
        int correct = (int)logits.argmax(1).eq(y).sum().item<long>();
        double seconds = clock.Elapsed.TotalSeconds;
        return new StepReport(loss.ToDouble(), correct, (int)labels.shape[0], new StepTimings(seconds, 0, seconds, 0, 0));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }
}
