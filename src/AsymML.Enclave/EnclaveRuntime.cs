using System.Diagnostics;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Enclave.Data;
using AsymML.Network;
using TorchSharp;
using static TorchSharp.torch;
using AsymML.Data;
using AsymML.Boundary.Session;
using AsymML.Optimization;
using AsymML.Enclave.Integrity;

namespace AsymML.Enclave;

/// <summary>
/// The trusted runtime. It serves one boundary endpoint: the host provisions a batch, asks for a step, and answers the
/// enclave's convolution requests; everything private (input, labels, activations, X^T, logits, loss, BatchNorm
/// batch statistics) lives only here. It also holds the authoritative weights and the optimizer: the initial weights
/// come from its settings (the owner's seed, or a state given by trusted code in this process), never from the host;
/// each training step adds the checked dW_U of every split convolution to its dW_T, steps the optimizer and sends
/// the new public weights of the split convolutions to the host (<see cref="WeightsMessage"/>), which only
/// convolves with them. A state the enclave exported (<see cref="StateExport"/>) comes back only through
/// <see cref="LoadState"/>, whose tag it checks under the owner's key.
/// </summary>
public sealed class EnclaveRuntime : IDisposable
{
    private readonly EnclaveContext _context;
    private readonly List<TrustedConv2d> _convolutions = [];
    private readonly ReferenceNetwork _model;
    private readonly ActivationAccount _activations;
    private optim.Optimizer _optimizer;
    private bool _weightsPublished;
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
        _gate = new HostGate(sealedSession: _data.HasKey, hasBatchNorm: settings.Spec.AllLayers().OfType<BatchNorm2dLayer>().Any(),
            maxLearningRate: settings.Optimization.LearningRate, minLearningRate: settings.Optimization.LearningRate * settings.LearningRateFloor);
        // The initial weights: the owner's seed (or trusted code's state in the in-process emulation), never the host's.
        using (StateDict? made = settings.InitialState is null ? StateDict.Initialize(settings.Spec, settings.WeightSeed) : null)
            _model = new ReferenceNetwork(settings.Spec, made ?? settings.InitialState!, layer =>
            {
                var conv = new TrustedConv2d(layer, _context);
                _convolutions.Add(conv);
                return conv;
            });
        _context.Ledger.SetResident("model", _model.state_dict().Values.Sum(Bytes));
        _activations = new ActivationAccount(_model, _context);
        _optimizer = settings.Optimization.Create(_model.parameters());
    }

    /// <summary>Tests only: when set, <see cref="LastGradients"/> keeps a copy of the merged gradients of each step.</summary>
    internal bool RecordGradients { get; set; }

    /// <summary>Tests only: the gradients dW = dW_T + dW_U (and those computed inside) the last step applied, by name.</summary>
    internal Dictionary<string, Tensor> LastGradients { get; } = new(StringComparer.Ordinal);

    /// <summary>Tests only: when set, <see cref="LastLogits"/> keeps a copy of each step's logits.</summary>
    internal bool RecordLogits { get; set; }

    /// <summary>Tests only: the logits of the last step (private: never sent anywhere).</summary>
    internal Tensor? LastLogits { get; private set; }

    /// <summary>Tests only: called on the enclave's thread at the end of each step (all of the step's tensors freed)
    /// with that thread's live TorchSharp tensor count, which must not grow from step to step.</summary>
    internal Action<long>? StepEnded { get; set; }

    /// <summary>The model, for trusted inspection (tests, sealed export).</summary>
    public ReferenceNetwork Model => _model;

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
            if (message is LoadState state)
            {
                using (state) Load(state);
                return;
            }
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

    /// <summary>Loads a state this enclave exported: every entry of the model, checked, and the tag verified under
    /// the owner's key (a session without a key takes it unauthenticated and says so). All is checked before
    /// anything is copied: a refused state changes nothing.</summary>
    private void Load(LoadState message)
    {
        // A float64 state (exactness checks) makes a float64 model, as trusted float64 initial weights would.
        ScalarType? type = message.State.Select(w => w.Value.dtype).Cast<ScalarType?>().FirstOrDefault(t => t is ScalarType.Float32 or ScalarType.Float64);
        if (type is ScalarType wanted && wanted != _model.parameters().First().dtype)
        {
            if (message.State.Any(w => w.Value.is_floating_point() && w.Value.dtype != wanted))
                throw new GateException(MessageKind.LoadState, "state", "one floating type for every entry");
            _model.to(wanted);
            _optimizer.Dispose();
            _optimizer = _context.Settings.Optimization.Create(_model.parameters());
            _context.Ledger.SetResident("model", _model.state_dict().Values.Sum(Bytes));
        }
        Dictionary<string, Tensor> target = _model.state_dict();
        foreach (NamedTensor w in message.State)
        {
            if (!target.TryGetValue(w.Name, out Tensor? t))
                throw new GateException(MessageKind.LoadState, w.Name, "a parameter or buffer of the model");
            HostGate.Checked(w.Value, t, "state", w.Name);
        }
        string? missing = target.Keys.FirstOrDefault(name => message.State.All(w => w.Name != name));
        if (missing is not null || message.State.Count != target.Count)
            throw new GateException(MessageKind.LoadState, missing ?? "state", $"every parameter and buffer of the model once{(missing is null ? "" : $", '{missing}' is missing")}");
        byte[] optimizer = message.OptimizerState.bytes.ToArray();
        byte[]? key = _data.CheckpointMacKey();
        try
        {
            if (key is not null && !StateAuthenticator.Verify(key, message.State, optimizer, message.Tag.bytes))
                throw new GateException(MessageKind.LoadState, "tag", "a state this enclave exported under the data owner's key (its HMAC-SHA256 tag does not verify: the checkpoint was altered, or made with another key)");
        }
        finally
        {
            if (key is not null) System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
        if (optimizer.Length > 0)
        {
            try
            {
                OptimizerSnapshot.Import(_optimizer, optimizer);
            }
            catch (InvalidDataException e)
            {
                throw new GateException(MessageKind.LoadState, "optimizer state", $"the state of this enclave's optimizer ({e.Message})");
            }
        }
        using (no_grad())
            foreach (NamedTensor w in message.State)
                target[w.Name].copy_(w.Value);
        _weightsPublished = false;
        _gate.StateLoaded();
        _context.Endpoint.Send(new StateLoaded(Authenticated: key is not null));
    }

    /// <summary>Sends the host the public weights of the split convolutions (what the accelerator convolves with).</summary>
    private void PublishWeights()
    {
        _weightsPublished = true;
        var split = _convolutions.Where(c => c.IsSplit).ToList();
        if (split.Count == 0) return; // TEE-only: the accelerator convolves nothing
        using var weights = new WeightsMessage(split.Select(c => new NamedTensor(c.Layer.Path + ".weight", c.Weight.detach())).ToList());
        _context.Endpoint.Send(weights);
    }

    private void Run(RunStep step)
    {
        var clock = Stopwatch.StartNew();
        bool training = step.Step == StepKind.Train;
        _context.Step = step.Number;
        _context.Training = training;
        if (training && step.LearningRate is double learningRate) // within the settings' bounds (the gate checked)
            OptimizerSnapshot.SetLearningRate(_optimizer, learningRate);
        if (!_weightsPublished) PublishWeights();
        TimeSpan weightChecksBefore = _context.Verifier.SpentOnWeightGradients;
        _update = TimeSpan.Zero;
        TimeSpan verifiedBefore = _context.Verifier.Spent;
        if (_selection is not null)
        {
            (_input, _labels) = _data.Batch(_selection.Split, _selection.Indices.data<long>().ToArray(), _selection.Sequence, training);
            _context.Ledger.SetResident("batch", Bytes(_input) + Bytes(_labels));
        }
        if (_input is null || _labels is null)
            throw new EnclaveException($"Step {step.Number}: no batch provisioned yet.");
        _context.ResetWaiting();
        _context.Ledger.BeginStep();
        double loss;
        int correct;
        using (var scope = NewDisposeScope())
        {
            _model.train(training);
            _activations.Begin(training);
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
                {
                    try
                    {
                        Backward(lossTensor);
                    }
                    finally
                    {
                        foreach (TrustedConv2d conv in _convolutions) conv.ClearStep(); // after a failed check: nothing half-kept
                    }
                }
            }
        }
        double enclaveSeconds = Math.Max(0, (clock.Elapsed - _context.Waiting).TotalSeconds);
        int batchSize = (int)_labels.shape[0];
        ChargeReleases(batchSize);
        ClearBatch(); // a batch is good for one step (the gate insists on a new one)
        StepEnded?.Invoke(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
        _context.Endpoint.Send(new StepResult(step.Number, loss, correct, batchSize, enclaveSeconds, _context.Ledger.StepPeakBytes,
            (_context.Verifier.Spent - verifiedBefore).TotalSeconds, (_context.Verifier.SpentOnWeightGradients - weightChecksBefore).TotalSeconds,
            _update.TotalSeconds, _context.Privacy?.Epsilon ?? double.NaN, _context.Privacy?.MaxReleases ?? 0));
    }

    /// <summary>Charges the step's residual releases to each sample of the batch: by data set and index when the
    /// enclave made the batch, by position when the host provisioned it (plaintext the host already knows).</summary>
    private void ChargeReleases(int batchSize)
    {
        if (_context.Privacy is null || _context.Mechanism is null) return;
        int releases = _context.Mechanism.TakeStepReleases();
        if (_selection is not null)
            _context.Privacy.Charge(_selection.Split, _selection.Indices.data<long>().ToArray(), releases);
        else
            _context.Privacy.Charge("provisioned batch", Enumerable.Range(0, batchSize).Select(i => (long)i), releases);
    }

    private TimeSpan _update;

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

    /// <summary>Sends the model's state and the optimizer's with the tag that lets this enclave (or another holding
    /// the owner's key) recognise it on resume; an empty tag without a key (unauthenticated).</summary>
    private void Export()
    {
        using StateDict state = StateDict.FromModule(_model); // PyTorch's order, as every other export
        List<NamedTensor> named = state.Select(p => new NamedTensor(p.Key, p.Value)).ToList();
        byte[] optimizer = OptimizerSnapshot.Export(_optimizer);
        byte[]? key = _data.CheckpointMacKey();
        byte[] tag;
        try
        {
            tag = key is null ? [] : StateAuthenticator.Tags(key, named, optimizer);
        }
        finally
        {
            if (key is not null) System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
        using Tensor optimizerBytes = tensor(optimizer, ScalarType.Byte), tagBytes = tensor(tag, ScalarType.Byte);
        _context.Endpoint.Send(new StateExport(named, optimizerBytes, tagBytes));
    }

    private void Report(string split)
    {
        (Evaluation e, byte[] predictions, bool sealedToOwner) = _data.TakeEvaluation(split);
        using Tensor confusion = tensor(e.Confusion, [e.Classes, e.Classes]);
        using Tensor bytes = tensor(predictions);
        _context.Endpoint.Send(new EvaluationReport(split, confusion, bytes, sealedToOwner));
    }

    /// <summary>Backward inside, then the update inside: dW = dW_T + dW_U (each dW_U checked during backward), the
    /// optimizer step, the new public weights out. A failed check throws before anything is updated.</summary>
    private void Backward(Tensor loss)
    {
        foreach (var p in _model.parameters()) p.grad = null;
        _context.Ledger.Charge("parameter gradients", _model.parameters().Sum(Bytes));
        loss.backward();
        _context.ThrowIfFailed();
        var gradients = _model.named_parameters()
            .Select(p => new NamedTensor(p.name, p.parameter.grad ?? zeros_like(p.parameter)))
            .ToList();
        _context.Endpoint.Send(new WeightGradients(gradients)); // public (dW_T of split layers): the host needs no answer
        var clock = Stopwatch.StartNew();
        using (no_grad())
        {
            foreach (TrustedConv2d conv in _convolutions.Where(c => c.IsSplit))
            {
                using Tensor untrusted = conv.TakeUntrustedGradient()
                    ?? throw new EnclaveException($"Step {_context.Step}: no dW_U arrived for layer '{conv.Layer.Path}'.");
                Tensor trusted = conv.Weight.grad ?? zeros_like(conv.Weight);
                conv.Weight.grad = trusted + untrusted; // dW = dW_T + dW_U (the parameter takes its own reference)
            }
            if (RecordGradients)
                foreach (var (name, parameter) in _model.named_parameters())
                {
                    if (LastGradients.Remove(name, out Tensor? previous)) previous.Dispose();
                    LastGradients[name] = (parameter.grad ?? zeros_like(parameter)).detach().clone().DetachFromDisposeScope();
                }
        }
        _optimizer.step();
        foreach (var p in _model.parameters()) p.grad = null;
        _context.Ledger.SetResident("optimizer state", OptimizerStateBytes());
        PublishWeights();
        _update = clock.Elapsed;
    }

    /// <summary>Bytes of the optimizer's state: SGD's momentum buffer, or Adam's two moments, per parameter.</summary>
    private long OptimizerStateBytes()
    {
        OptimizerSettings o = _context.Settings.Optimization;
        int copies = o.Kind == OptimizerKind.Adam ? 2 : o.Momentum > 0 ? 1 : 0;
        return copies * _model.parameters().Sum(Bytes);
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
        foreach (Tensor t in LastGradients.Values) t.Dispose();
        foreach (TrustedConv2d conv in _convolutions) conv.ClearStep();
        _optimizer.Dispose();
        _model.Dispose();
        ClearBatch();
        _data.Dispose();
        _context.Dispose();
    }
}
