using System.Diagnostics;
using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;
using AsymML.Enclave;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Execution;

/// <summary>
/// Runs a network through the enclave runtime (on its own thread, in this process) and the accelerator runtime (on
/// the caller's thread), which meet only through an <see cref="InProcessChannel"/>. With split ranks this is
/// AsymML; with <see cref="EnclaveSettings.TeeOnly"/> every convolution stays inside (the TEE-only baseline).
/// </summary>
public sealed class SplitExecutor : IExecutor
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);
    private readonly IBoundaryEndpoint _host;
    private readonly EnclaveRuntime _enclave;
    private readonly Thread _enclaveThread;
    private readonly AcceleratorRuntime _accelerator;
    private readonly BoundaryMeter _meter = new();
    private long _step;

    /// <summary>Starts both runtimes and gives the enclave the initial state.</summary>
    /// <param name="enclave">Network, ranks and noise of the enclave side.</param>
    /// <param name="initialState">Initial weights and BatchNorm buffers (public; copied).</param>
    /// <param name="optimizer">Optimizer run by the accelerator.</param>
    /// <param name="accelerator">Device and threads of the accelerator.</param>
    /// <param name="transcript">If given, records everything that crosses the host's end of the channel.</param>
    public SplitExecutor(EnclaveSettings enclave, StateDict initialState, OptimizerSettings optimizer,
        AcceleratorSettings? accelerator = null, BoundaryTranscript? transcript = null)
    {
        ArgumentNullException.ThrowIfNull(enclave);
        Mode = enclave.Ranks.Values.Any(r => r.Split) ? ExecutionMode.Asym : ExecutionMode.TeeOnly;
        (IBoundaryEndpoint host, IBoundaryEndpoint enclaveEnd) = InProcessChannel.CreatePair(meter: _meter);
        _host = transcript?.Record(host) ?? host;
        _accelerator = new AcceleratorRuntime(enclave.Spec, initialState, optimizer, accelerator);
        _enclave = new EnclaveRuntime(enclaveEnd, enclave);
        _enclaveThread = new Thread(() => _enclave.Serve()) { IsBackground = true, Name = "AsymML enclave" };
        _enclaveThread.Start();
        using WeightsMessage initial = _accelerator.InitialState();
        _host.Send(initial);
    }

    /// <inheritdoc />
    public ExecutionMode Mode { get; }

    /// <summary>The enclave runtime, for trusted inspection in tests.</summary>
    internal EnclaveRuntime Enclave => _enclave;

    /// <summary>The accelerator runtime, for inspection in tests.</summary>
    internal AcceleratorRuntime Accelerator => _accelerator;

    /// <inheritdoc />
    public StepReport TrainStep(Tensor input, Tensor labels) => Run(StepKind.Train, input, labels);

    /// <inheritdoc />
    public StepReport Infer(Tensor input, Tensor labels) => Run(StepKind.Infer, input, labels);

    /// <inheritdoc />
    public StateDict ExportState()
    {
        // Between steps the enclave thread only waits for the next command, so reading its model here is safe.
        return StateDict.FromModule(_enclave.Model ?? throw new InvalidOperationException("The enclave has no model yet."));
    }

    private StepReport Run(StepKind kind, Tensor input, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(labels);
        var clock = Stopwatch.StartNew();
        TimeSpan acceleratorBefore = _accelerator.ComputeTime, boundaryBefore = _meter.Elapsed;
        long bytesBefore = _meter.Bytes;
        // The message borrows the caller's tensors (sending copies them); only a converted label tensor is ours.
        using (Tensor? converted = labels.dtype == ScalarType.Int64 ? null : labels.to(ScalarType.Int64))
            _host.Send(new ProvisionBatch(input, converted ?? labels));
        _host.Send(new RunStep(kind, ++_step));
        while (true)
        {
            using BoundaryMessage message = Receive();
            switch (message)
            {
                case StepResult result:
                    var timings = new StepTimings(clock.Elapsed.TotalSeconds, result.EnclaveSeconds,
                        (_accelerator.ComputeTime - acceleratorBefore).TotalSeconds, (_meter.Elapsed - boundaryBefore).TotalSeconds,
                        _meter.Bytes - bytesBefore);
                    return new StepReport(result.Loss, result.Correct, result.BatchSize, timings);
                case ErrorMessage error:
                    throw new ExecutionException($"Step {_step} failed in the enclave: {error.Text}");
                default:
                    BoundaryMessage? reply;
                    try
                    {
                        reply = _accelerator.Handle(message);
                    }
                    catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                    {
                        _host.Send(new ErrorMessage($"accelerator: {e.Message}"));
                        throw new ExecutionException($"Step {_step} failed on the accelerator: {e.Message}", e);
                    }
                    using (reply)
                        if (reply is not null) _host.Send(reply);
                    break;
            }
        }
    }

    private BoundaryMessage Receive()
    {
        try
        {
            return _host.Receive(StepTimeout);
        }
        catch (Exception e) when (e is BoundaryClosedException or TimeoutException)
        {
            throw new ExecutionException($"Step {_step}: the enclave stopped answering ({e.Message}).", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _host.Dispose();
        _enclaveThread.Join(TimeSpan.FromSeconds(5));
        _enclave.Dispose();
        _accelerator.Dispose();
    }
}
