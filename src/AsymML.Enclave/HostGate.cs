using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Enclave;

/// <summary>
/// The one gate for what the untrusted host sends: every message is checked here, per kind, against the session's
/// state before any enclave code uses it — kind allowed now, data set, sample range, dtype, shape, finiteness — and a refusal is a
/// <see cref="GateException"/> that names the message, the field and what was expected. The rules:
/// <list type="bullet">
/// <item>a session with the owner's key is a sealed session: no plaintext images or labels from the host
/// (<see cref="ProvisionBatch"/>, <see cref="ProvisionData"/>); a plaintext session is one started without a key;</item>
/// <item>a step needs a batch announced just before it; a training step only on the split provisioned first (the
/// training set: its statistics normalise every batch), inference and evaluation on any; a training step of a
/// network with BatchNorm needs at least 2 samples;</item>
/// <item>every tensor the host sends or returns (a state to resume, residual outputs Y_U, dX, dW_U) has the expected
/// type and shape and is finite;</item>
/// <item>the host never sets the weights: a <see cref="WeightsMessage"/> from it is refused. A state the enclave
/// exported comes back only as a <see cref="LoadState"/>, before the first step, and (in a session with the owner's
/// key) only if its tag verifies;</item>
/// <item>a training step's learning rate, if the host asks for one, lies within [<c>minLearningRate</c>,
/// <c>maxLearningRate</c>] of the enclave's settings (the host runs the schedule, within the owner's bounds).</item>
/// </list>
/// A refused command changes nothing (the runtime answers with the refusal and goes on serving); a refused reply
/// inside a step ends the session, since the step cannot be finished.
/// </summary>
internal sealed class HostGate(bool sealedSession, bool hasBatchNorm, double maxLearningRate = double.PositiveInfinity, double minLearningRate = 0)
{
    private bool _stepsBegun;
    private bool _stateLoaded;
    private string? _trainingSplit;
    private (string? Split, long Size)? _pendingBatch;
    private readonly Dictionary<string, int> _sets = new(StringComparer.Ordinal);

    /// <summary>Whether this session refuses plaintext data (it was started with the owner's key).</summary>
    public bool SealedSession => sealedSession;

    /// <summary>Records a data set the enclave has opened and checked; the first one is the training set.</summary>
    public void Provisioned(string split, int count)
    {
        _sets[split] = count;
        _trainingSplit ??= split;
    }

    /// <summary>Records that a <see cref="LoadState"/> was verified and loaded (a second one is refused).</summary>
    public void StateLoaded() => _stateLoaded = true;

    /// <summary>Checks a command (a message the host starts a conversation with) before the runtime handles it.</summary>
    /// <exception cref="GateException">The command is refused; the session's state is as before.</exception>
    public void Admit(BoundaryMessage message)
    {
        switch (message)
        {
            case ProvisionBatch or ProvisionData when sealedSession:
                throw new GateException(message.Kind, "input", "sealed data only: this session holds the data owner's key, so the enclave takes no plaintext images or labels from the host");
            case ProvisionBatch batch:
                _pendingBatch = null;
                RequireFinite(batch.Input, message.Kind, "input");
                if (batch.Input.dim() != 4)
                    throw new GateException(message.Kind, "input", $"images as [B, C, H, W], got {Describe(batch.Input)}");
                if (batch.Labels.dtype != ScalarType.Int64 || !batch.Labels.shape.SequenceEqual([batch.Input.shape[0]]))
                    throw new GateException(message.Kind, "labels", $"int64 [{batch.Input.shape[0]}], got {Describe(batch.Labels)}");
                _pendingBatch = (null, batch.Input.shape[0]);
                break;
            case ProvisionData data:
                if (data.Pixels.dtype != ScalarType.Byte || data.Pixels.dim() != 4)
                    throw new GateException(message.Kind, "pixels", $"uint8 [N, C, H, W], got {Describe(data.Pixels)}");
                if (data.Labels.dtype != ScalarType.Byte || !data.Labels.shape.SequenceEqual([data.Pixels.shape[0]]))
                    throw new GateException(message.Kind, "labels", $"uint8 [{data.Pixels.shape[0]}], got {Describe(data.Labels)}");
                break;
            case ProvisionSealed piece:
                if (piece.Bytes.dtype != ScalarType.Byte || piece.Bytes.dim() != 1)
                    throw new GateException(message.Kind, "bytes", $"uint8 [n], got {Describe(piece.Bytes)}");
                break;
            case SelectBatch selection:
                _pendingBatch = null;
                Tensor indices = selection.Indices;
                if (indices.dtype != ScalarType.Int64 || indices.dim() != 1 || indices.shape[0] == 0)
                    throw new GateException(message.Kind, "indices", $"int64 [B] with B ≥ 1, got {Describe(indices)}");
                if (!_sets.TryGetValue(selection.Split, out int count))
                    throw new GateException(message.Kind, "split", $"a provisioned data set ({string.Join(", ", _sets.Keys.Select(k => $"'{k}'"))}), got '{selection.Split}'");
                using (Tensor low = indices.min(), high = indices.max())
                    if (low.item<long>() < 0 || high.item<long>() >= count)
                        throw new GateException(message.Kind, "indices", $"sample numbers 0 … {count - 1} of '{selection.Split}', got {low.item<long>()} … {high.item<long>()}");
                _pendingBatch = (selection.Split, indices.shape[0]);
                break;
            case RunStep step:
                AdmitStep(step);
                break;
            case WeightsMessage:
                throw new GateException(message.Kind, "weights", "no weights from the host: the enclave holds the authoritative weights (made from the owner's seed, or resumed from a state it exported: LoadState)");
            case LoadState state:
                if (_stepsBegun || _stateLoaded)
                    throw new GateException(message.Kind, "state", "a state to resume only once, before the first step");
                foreach (NamedTensor w in state.State)
                    RequireFinite(w.Value, message.Kind, w.Name);
                if (state.OptimizerState.dtype != ScalarType.Byte || state.OptimizerState.dim() != 1)
                    throw new GateException(message.Kind, "optimizer state", $"uint8 [n], got {Describe(state.OptimizerState)}");
                if (state.Tag.dtype != ScalarType.Byte || state.Tag.dim() != 1 || state.Tag.shape[0] is not (0 or StateAuthenticator.TagBytes))
                    throw new GateException(message.Kind, "tag", $"uint8 [{StateAuthenticator.TagBytes}] (or [0] for an unauthenticated state), got {Describe(state.Tag)}");
                if (sealedSession && state.Tag.shape[0] == 0)
                    throw new GateException(message.Kind, "tag", "an authenticated state in a session with the data owner's key (this one carries no tag)");
                break;
            case ExportRequest or EvaluationRequest or ErrorMessage:
                break;
            default:
                throw new GateException(message.Kind, "kind", "a command (data, a batch, a step, a state to resume, an export or an evaluation request); a reply only inside a step");
        }
    }

    private void AdmitStep(RunStep step)
    {
        (string? Split, long Size)? batch = _pendingBatch;
        _pendingBatch = null; // a batch is good for one step
        if (batch is not var (split, size))
            throw new GateException(MessageKind.RunStep, "batch", "a batch (SelectBatch or ProvisionBatch) sent just before the step");
        if (step.LearningRate is double lr && (step.Step != StepKind.Train || !(lr >= minLearningRate && lr <= maxLearningRate)))
            throw new GateException(MessageKind.RunStep, "learning rate", step.Step != StepKind.Train
                ? "no learning rate for an inference step"
                : $"a learning rate within the enclave's bounds [{minLearningRate:G4}, {maxLearningRate:G4}], got {lr:G4}");
        _stepsBegun = true;
        if (step.Step != StepKind.Train) return;
        if (split is not null && split != _trainingSplit)
            throw new GateException(MessageKind.RunStep, "split", $"a training step on the training set '{_trainingSplit}' only, not on '{split}' (evaluate other sets with inference steps)");
        if (hasBatchNorm && size < 2)
            throw new GateException(MessageKind.RunStep, "batch", $"at least 2 samples for a training step of a network with BatchNorm, got {size}");
    }

    /// <summary>Receives the next message and insists it is a <typeparamref name="T"/> for <paramref name="layer"/>.</summary>
    public static T Expect<T>(IBoundaryEndpoint endpoint, string layer, TimeSpan timeout) where T : BoundaryMessage
    {
        BoundaryMessage message = endpoint.Receive(timeout);
        if (message is T typed && typed.Layer == layer)
            return typed;
        using (message)
        {
            if (message is ErrorMessage error)
                throw new EnclaveException($"The host failed while the enclave waited for {typeof(T).Name} of layer '{layer}': {error.Text}");
            throw new GateException(message.Kind, "kind", $"{typeof(T).Name} for layer '{layer}', got {message.Kind} for '{message.Layer}'");
        }
    }

    /// <summary>Throws unless <paramref name="tensor"/> has exactly the type and shape of <paramref name="like"/> and is finite.</summary>
    public static Tensor Checked(Tensor? tensor, Tensor like, string what, string layer) => Checked(tensor, like.shape, like.dtype, what, layer);

    /// <summary>Throws unless <paramref name="tensor"/> has type <paramref name="type"/>, exactly <paramref name="shape"/>,
    /// and only finite values (a NaN or ∞ from the host would poison the step, the weights and every checkpoint after).</summary>
    public static Tensor Checked(Tensor? tensor, long[] shape, ScalarType type, string what, string layer)
    {
        if (tensor is null)
            throw new GateException(what, layer, "a tensor, got none");
        if (tensor.dtype != type || !tensor.shape.SequenceEqual(shape))
            throw new GateException(what, layer, $"{type} [{string.Join(", ", shape)}], got {Describe(tensor)}");
        if (!AllFinite(tensor))
            throw new GateException(what, layer, "finite values, got NaN or infinity");
        return tensor;
    }

    private static void RequireFinite(Tensor tensor, MessageKind kind, string field)
    {
        if (!AllFinite(tensor))
            throw new GateException(kind, field, "finite values, got NaN or infinity");
    }

    private static bool AllFinite(Tensor tensor)
    {
        if (!tensor.is_floating_point()) return true;
        using Tensor finite = tensor.isfinite().all();
        return finite.item<bool>();
    }

    private static string Describe(Tensor t) => $"{t.dtype} [{string.Join(", ", t.shape)}]";
}
