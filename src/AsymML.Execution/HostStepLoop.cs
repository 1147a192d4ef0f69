using System.Diagnostics;
using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Execution;

/// <summary>
/// The host's side of one step, shared by the executors whose enclave sits behind a channel (the in-process split executor (AsymML.Training):
/// a thread of this process; <see cref="OutOfProcessExecutor"/>: another process): provision the batch, ask for the
/// step, then answer the enclave's requests with the accelerator (convolutions, dX and dW_U; the enclave's new weights
/// are handed to it) until its <see cref="StepResult"/> or
/// <see cref="ErrorMessage"/> arrives. Waits in slices of <see cref="Slice"/>; after each empty slice the
/// <see cref="EnclaveWatch"/> may declare the enclave dead.
/// </summary>
internal sealed class HostStepLoop
{
    /// <summary>Longest silence of the enclave within a step.</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How often a wait for the enclave stops to ask the watch whether it is still alive.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);

    private readonly IBoundaryEndpoint _host;
    private readonly AcceleratorRuntime _accelerator;
    private readonly BoundaryMeter _meter;
    private readonly EnclaveWatch _watch;

    /// <summary>Turns what went wrong with the enclave into the exception a step throws.</summary>
    /// <param name="step">The step that was running.</param>
    /// <param name="failure">The channel failure (<see cref="BoundaryClosedException"/>, <see cref="TimeoutException"/>),
    /// or null when nothing failed yet and the loop only asks whether the enclave is still alive.</param>
    /// <returns>The exception to throw; null to go on waiting (failure null) or to use the default message.</returns>
    public delegate ExecutionException? EnclaveWatch(long step, Exception? failure);

    /// <summary>Drives steps over <paramref name="host"/> (the host's end of the channel).</summary>
    public HostStepLoop(IBoundaryEndpoint host, AcceleratorRuntime accelerator, BoundaryMeter meter, EnclaveWatch? watch = null)
    {
        _host = host;
        _accelerator = accelerator;
        _meter = meter;
        _watch = watch ?? ((_, _) => null);
    }

    /// <summary>The number of the last step started.</summary>
    public long Step { get; private set; }

    /// <summary>The learning rate each training step asks the enclave for; null keeps the enclave's.</summary>
    public double? LearningRate { get; set; }

    /// <summary>Runs one step on the caller's tensors (borrowed: sending copies them).</summary>
    /// <exception cref="ExecutionException">The enclave or the accelerator failed, or the enclave went away.</exception>
    public StepReport Run(StepKind kind, Tensor input, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(labels);
        // The message borrows the caller's tensors (sending copies them); only a converted label tensor is ours.
        using Tensor? converted = labels.dtype == ScalarType.Int64 ? null : labels.to(ScalarType.Int64);
        return Run(kind, new ProvisionBatch(input, converted ?? labels));
    }

    /// <summary>Runs one step on samples of a data set the enclave holds.</summary>
    /// <exception cref="ExecutionException">The enclave or the accelerator failed, or the enclave went away.</exception>
    public StepReport Run(StepKind kind, string split, long[] indices, long sequence)
    {
        using Tensor selected = tensor(indices);
        return Run(kind, new SelectBatch(split, selected, sequence));
    }

    /// <summary>Gives the enclave a data set and waits until it has opened and checked all of it.</summary>
    /// <returns>The sample count the enclave reports.</returns>
    /// <exception cref="ExecutionException">The enclave refused the data (wrong key, tampered, truncated…: its
    /// message says which check failed) or went away.</exception>
    public int Provision(string split, DataSource source)
    {
        long step = Step;
        foreach (BoundaryMessage message in DataProvisioning.Messages(split, source))
            using (message) Send(message, step);
        using DataReady ready = Await<DataReady>(step, $"provisioning '{split}'");
        return ready.Count;
    }

    /// <summary>The enclave's report on the inference steps run on <paramref name="split"/> since the last one.</summary>
    public EvaluationResult Evaluate(string split)
    {
        using var request = new EvaluationRequest(split);
        using EvaluationReport report = Request<EvaluationReport>(request, $"the evaluation of '{split}'");
        return new EvaluationResult((int)report.Confusion.shape[0], report.Confusion.data<long>().ToArray(), report.Predictions.bytes.ToArray(), report.PredictionsSealed);
    }

    /// <summary>The model's state (weights and BatchNorm running statistics) from the enclave.</summary>
    public Network.StateDict ExportState()
    {
        using var request = new ExportRequest();
        using StateExport export = Request<StateExport>(request, "the export of the model's state");
        return new Network.StateDict(export.State.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value.clone())));
    }

    /// <summary>The enclave's state with its optimizer's and its tag, for a checkpoint.</summary>
    public TrainingState ExportTrainingState()
    {
        using var request = new ExportRequest();
        using StateExport export = Request<StateExport>(request, "the export of the model's state");
        var state = new Network.StateDict(export.State.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value.clone())));
        return new TrainingState(state, export.OptimizerState?.bytes.ToArray() ?? [], export.Tag?.bytes.ToArray() ?? []);
    }

    /// <summary>Gives the enclave a state it exported earlier; it checks the tag.</summary>
    /// <returns>Whether the enclave authenticated it.</returns>
    public bool ResumeFrom(TrainingState state)
    {
        using Tensor optimizer = tensor(state.OptimizerState, ScalarType.Byte), tag = tensor(state.Tag, ScalarType.Byte);
        using var load = new LoadState(state.State.Select(p => new NamedTensor(p.Key, p.Value)).ToList(), optimizer, tag);
        using StateLoaded loaded = Request<StateLoaded>(load, "the state to resume from");
        return loaded.Authenticated;
    }

    /// <summary>Sends <paramref name="request"/> (borrowed) and waits for the enclave's <typeparamref name="T"/>.</summary>
    public T Request<T>(BoundaryMessage request, string what) where T : BoundaryMessage
    {
        Send(request, Step);
        return Await<T>(Step, what);
    }

    private T Await<T>(long step, string what) where T : BoundaryMessage
    {
        BoundaryMessage message = Receive(step);
        if (message is T typed) return typed;
        using (message)
            throw message is ErrorMessage error
                ? new ExecutionException($"The enclave refused {what}: {error.Text}")
                : new ExecutionException($"Protocol violation while {what}: the enclave sent {message.Kind}, expected {typeof(T).Name}.");
    }

    private StepReport Run(StepKind kind, BoundaryMessage batch)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan acceleratorBefore = _accelerator.ComputeTime, boundaryBefore = _meter.Elapsed;
        long bytesBefore = _meter.Bytes;
        long step = ++Step;
        Send(batch, step);
        Send(new RunStep(kind, step, kind == StepKind.Train ? LearningRate : null), step);
        while (true)
        {
            using BoundaryMessage message = Receive(step);
            switch (message)
            {
                case StepResult result:
                    var timings = new StepTimings(clock.Elapsed.TotalSeconds, result.EnclaveSeconds,
                        (_accelerator.ComputeTime - acceleratorBefore).TotalSeconds, (_meter.Elapsed - boundaryBefore).TotalSeconds,
                        _meter.Bytes - bytesBefore, result.VerificationSeconds, result.WeightCheckSeconds, result.UpdateSeconds);
                    return new StepReport(result.Loss, result.Correct, result.BatchSize, timings, result.EnclavePeakBytes,
                        result.ResidualEpsilon, result.MaxResidualReleases);
                case ErrorMessage error:
                    throw new ExecutionException($"Step {step} failed in the enclave: {error.Text}");
                default:
                    BoundaryMessage? reply;
                    try
                    {
                        reply = _accelerator.Handle(message);
                    }
                    catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                    {
                        TrySend(new ErrorMessage($"accelerator: {e.Message}"));
                        throw new ExecutionException($"Step {step} failed on the accelerator: {e.Message}", e);
                    }
                    using (reply)
                        if (reply is not null) Send(reply, step);
                    break;
            }
        }
    }

    private void Send(BoundaryMessage message, long step)
    {
        try
        {
            _host.Send(message);
        }
        catch (BoundaryClosedException e)
        {
            throw Lost(step, e);
        }
    }

    private void TrySend(BoundaryMessage message)
    {
        try
        {
            _host.Send(message);
        }
        catch (BoundaryClosedException)
        {
            // The enclave is gone already; the step's own exception says what went wrong.
        }
    }

    private BoundaryMessage Receive(long step)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return _host.Receive(Slice);
            }
            catch (TimeoutException e)
            {
                if (_watch(step, null) is { } dead)
                    throw dead;
                if (Stopwatch.GetElapsedTime(start) >= StepTimeout)
                    throw Lost(step, new TimeoutException($"No message from the enclave within {StepTimeout.TotalSeconds:0} s.", e));
            }
            catch (BoundaryClosedException e)
            {
                throw Lost(step, e);
            }
        }
    }

    private ExecutionException Lost(long step, Exception failure) =>
        _watch(step, failure) ?? new ExecutionException($"Step {step}: the enclave stopped answering ({failure.Message}).", failure);
}
