using System.Diagnostics;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Enclave.Data;
using AsymML.Network;
using TorchSharp;
using static TorchSharp.torch;
using AsymML.Data;
using AsymML.Boundary.Session;

namespace AsymML.Enclave;

/// <summary>
/// The trusted runtime. It serves one boundary endpoint: the host provisions a batch, asks for a step, and answers the
/// enclave's convolution requests; everything private (input, labels, activations, X^T, logits, loss, BatchNorm
/// batch statistics) lives only here. The model is built when the first <see cref="WeightsMessage"/> arrives with
/// the full state (weights and BatchNorm buffers); later ones carry updated weights after each optimizer step.
/// </summary>
public sealed class EnclaveRuntime : IDisposable
{
    private readonly EnclaveContext _context;
    private readonly List<TrustedConv2d> _convolutions = [];
    private ReferenceNetwork? _model;
    private ActivationAccount? _activations;
    private readonly PrivateDataSets _data;
    private Tensor? _input;
    private Tensor? _labels;
    private SelectBatch? _selection;
    private readonly HostGate _gate;

    /// <summary>Creates the runtime on <paramref name="endpoint"/> (the enclave's end of a channel).</summary>
    public EnclaveRuntime(IBoundaryEndpoint endpoint, EnclaveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(settings);
        if (endpoint.Side != BoundarySide.Enclave)
            throw new ArgumentException("The enclave runtime needs the enclave's end of the channel.", nameof(endpoint));
        _context = new EnclaveContext(endpoint, settings);
        _data = new PrivateDataSets(settings.Data ?? new PrivateDataOptions());
        _gate = new HostGate(sealedSession: _data.HasKey, hasBatchNorm: settings.Spec.AllLayers().OfType<BatchNorm2dLayer>().Any());
    }

    /// <summary>Tests only: when set, <see cref="LastLogits"/> keeps a copy of each step's logits.</summary>
    internal bool RecordLogits { get; set; }

    /// <summary>Tests only: the logits of the last step (private: never sent anywhere).</summary>
    internal Tensor? LastLogits { get; private set; }

    /// <summary>Tests only: called on the enclave's thread at the end of each step (all of the step's tensors freed)
    /// with that thread's live TorchSharp tensor count, which must not grow from step to step.</summary>
    internal Action<long>? StepEnded { get; set; }

    /// <summary>The model, for trusted inspection (tests, sealed export); null before the first weights arrive.</summary>
    public ReferenceNetwork? Model => _model;

    /// <summary>Tests and measurements only: enclave time spent mixing and un-mixing (zero without masking).</summary>
    internal TimeSpan MaskingTime => _context.Masking?.Spent ?? TimeSpan.Zero;

    /// <summary>The bytes of private tensors held (see <see cref="MemoryLedger"/>).</summary>
    public MemoryLedger Ledger => _context.Ledger;

    /// <summary>Handles messages until the host closes the channel. Any failure is reported to the host as an
    /// <see cref="ErrorMessage"/> and ends the loop.</summary>
    public void Serve(CancellationToken cancellation = default)
    {
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                BoundaryMessage message;
                try
                {
                    message = _context.Endpoint.Receive(TimeSpan.FromSeconds(1));
                }
                catch (TimeoutException)
                {
                    continue;
                }
                Handle(message);
            }
        }
        catch (BoundaryClosedException)
        {
            // The host is gone: nothing to answer.
        }
        catch (Exception e)
        {
            TrySend(new ErrorMessage($"enclave: {e.Message}"));
        }
    }

    private void Handle(BoundaryMessage message)
    {
        try
        {
            _gate.Admit(message);
        }
        catch (GateException refusal)
        {
            // Refused before any work: nothing changed, so say why and go on serving.
            message.Dispose();
            if (message is RunStep or SelectBatch or ProvisionBatch) ClearBatch();
            _context.Endpoint.Send(new ErrorMessage($"enclave: {refusal.Message}"));
            return;
        }
        switch (message)
        {
            case WeightsMessage weights:
                using (weights) LoadWeights(weights);
                break;
            case ProvisionBatch batch:
                ClearBatch();
                (_input, _labels) = (batch.Input, batch.Labels); // owned now
                _context.Ledger.SetResident("batch", Bytes(_input) + Bytes(_labels));
                break;
            case SelectBatch selection:
                ClearBatch();
                _selection = selection; // owned now; the batch is made when the step says train or infer
                break;
            case RunStep step:
                Run(step);
                break;
            case ProvisionData data:
                using (data) Provision(data, data.Split);
                break;
            case ProvisionSealed piece:
                using (piece) Provision(piece, piece.Split);
                break;
            case ExportRequest:
                Export();
                break;
            case EvaluationRequest request:
                Report(request.Split);
                break;
            case ErrorMessage error:
                throw new EnclaveException($"The host reported: {error.Text}");
            default:
                message.Dispose();
                throw new EnclaveException($"Protocol violation: {message.Kind} is not a command.");
        }
    }

    private void LoadWeights(WeightsMessage message)
    {
        if (_model is null)
        {
            var state = new StateDict(message.Weights.Select(w => new KeyValuePair<string, Tensor>(w.Name, w.Value.clone())));
            using (state)
                _model = new ReferenceNetwork(_context.Settings.Spec, state, layer =>
                {
                    var conv = new TrustedConv2d(layer, _context);
                    _convolutions.Add(conv);
                    return conv;
                });
            _context.Ledger.SetResident("model", _model.state_dict().Values.Sum(Bytes));
            _activations = new ActivationAccount(_model, _context);
            return;
        }
        Dictionary<string, Tensor> target = _model.state_dict();
        foreach (NamedTensor w in message.Weights) // all checked before any is copied: no half-updated model
        {
            if (!target.TryGetValue(w.Name, out Tensor? t))
                throw new GateException(MessageKind.Weights, w.Name, "a parameter or buffer of the model");
            HostGate.Checked(w.Value, t, "weights", w.Name);
        }
        using (no_grad())
            foreach (NamedTensor w in message.Weights)
                target[w.Name].copy_(w.Value);
    }

    private void Run(RunStep step)
    {
        var clock = Stopwatch.StartNew();
        bool training = step.Step == StepKind.Train;
        _context.Step = step.Number;
        TimeSpan verifiedBefore = _context.Verifier.Spent;
        if (_selection is not null)
        {
            (_input, _labels) = _data.Batch(_selection.Split, _selection.Indices.data<long>().ToArray(), _selection.Sequence, training);
            _context.Ledger.SetResident("batch", Bytes(_input) + Bytes(_labels));
        }
        if (_model is null || _input is null || _labels is null)
            throw new EnclaveException($"Step {step.Number}: no model weights or no batch provisioned yet.");
        _context.ResetWaiting();
        _context.Ledger.BeginStep();
        double loss;
        int correct;
        using (var scope = NewDisposeScope())
        {
            _model.train(training);
            _activations!.Begin(training);
            using IDisposable? noGrad = training ? null : no_grad();
            Tensor? logits = null;
            try
            {
                logits = _model.forward(_input);
            }
            catch (StepDivergedException) when (training)
            {
                // The step's loss is NaN and nothing is updated; the host sees the loss and stops.
            }
            catch (StepDivergedException diverged)
            {
                throw new EnclaveException($"Inference step {step.Number}: {diverged.Message}; these weights cannot be evaluated.");
            }
            _context.ThrowIfFailed();
            if (logits is null)
                (loss, correct) = (double.NaN, 0);
            else
            {
                if (RecordLogits)
                {
                    LastLogits?.Dispose();
                    LastLogits = logits.detach().clone().DetachFromDisposeScope();
                }
                Tensor lossTensor = nn.functional.cross_entropy(logits, _labels);
                loss = lossTensor.ToDouble();
                correct = (int)logits.argmax(1).eq(_labels).sum().item<long>();
                if (!training && _selection is not null)
                    _data.RecordPredictions(_selection.Split, _selection.Indices.data<long>().ToArray(), logits, _labels);
                if (training && double.IsFinite(loss)) // a diverged step updates nothing; the host sees its loss and stops
                    Backward(lossTensor);
            }
        }
        double enclaveSeconds = Math.Max(0, (clock.Elapsed - _context.Waiting).TotalSeconds);
        int batchSize = (int)_labels.shape[0];
        ClearBatch(); // a batch is good for one step (the gate insists on a new one)
        StepEnded?.Invoke(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
        _context.Endpoint.Send(new StepResult(step.Number, loss, correct, batchSize, enclaveSeconds, _context.Ledger.StepPeakBytes,
            (_context.Verifier.Spent - verifiedBefore).TotalSeconds));
    }

    private void ClearBatch()
    {
        _input?.Dispose();
        _labels?.Dispose();
        _selection?.Dispose();
        (_input, _labels, _selection) = (null, null, null);
    }

    /// <summary>Takes a provisioning message; once a set is complete, charges it to the ledger and tells the host.</summary>
    private void Provision(BoundaryMessage message, string split)
    {
        if (_data.Accept(message) is not int count) return;
        _gate.Provisioned(split, count);
        _context.Ledger.SetResident("data set " + split, _data.Bytes(split));
        _context.Endpoint.Send(new DataReady(split, count));
    }

    private void Export()
    {
        if (_model is null)
            throw new EnclaveException("The host asked for the model's state before sending any weights.");
        using StateDict state = StateDict.FromModule(_model); // PyTorch's order, as every other export
        _context.Endpoint.Send(new StateExport(state.Select(p => new NamedTensor(p.Key, p.Value)).ToList()));
    }

    private void Report(string split)
    {
        (Evaluation e, byte[] predictions, bool sealedToOwner) = _data.TakeEvaluation(split);
        using Tensor confusion = tensor(e.Confusion, [e.Classes, e.Classes]);
        using Tensor bytes = tensor(predictions);
        _context.Endpoint.Send(new EvaluationReport(split, confusion, bytes, sealedToOwner));
    }

    private void Backward(Tensor loss)
    {
        foreach (var p in _model!.parameters()) p.grad = null;
        _context.Ledger.Charge("parameter gradients", _model.parameters().Sum(Bytes));
        loss.backward();
        _context.ThrowIfFailed();
        var gradients = _model.named_parameters()
            .Select(p => new NamedTensor(p.name, p.parameter.grad ?? zeros_like(p.parameter)))
            .ToList();
        _context.Endpoint.Send(new WeightGradients(gradients));
        using WeightsMessage updated = _context.Expect<WeightsMessage>("");
        LoadWeights(updated);
        foreach (var p in _model.parameters()) p.grad = null;
    }

    internal static long Bytes(Tensor t) => t.NumberOfElements * t.ElementSize;

    private void TrySend(BoundaryMessage message)
    {
        try
        {
            _context.Endpoint.Send(message);
        }
        catch (BoundaryClosedException)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _model?.Dispose();
        ClearBatch();
        _data.Dispose();
        _context.Dispose();
    }
}
