using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Enclave;

/// <summary>
/// The one gate for what the untrusted host sends: every message is checked here, per kind, against the session's
/// state before any enclave code uses it — kind allowed now, layer, dtype, shape, finiteness — and a refusal is a
/// <see cref="GateException"/> that names the message, the field and what was expected. The rules:
/// <list type="bullet">
/// <item>a session with the owner's key is a sealed session: no plaintext images or labels from the host
/// (<see cref="ProvisionBatch"/>, <see cref="ProvisionData"/>); a plaintext session is one started without a key;</item>
/// <item>a training step only on the split provisioned first (the training set: its statistics normalise every
/// batch); inference and evaluation on any; a training step of a network with BatchNorm needs at least 2 samples;</item>
/// <item>every tensor the host returns (residual outputs, dX, weights) has the expected type and shape and is finite.</item>
/// </list>
/// </summary>
internal sealed class HostGate(bool sealedSession, bool hasBatchNorm)
{
    private string? _trainingSplit;

    /// <summary>Whether this session refuses plaintext data (it was started with the owner's key).</summary>
    public bool SealedSession => sealedSession;

    /// <summary>Checks a command (a message the host starts a conversation with) before the runtime handles it.</summary>
    public void Admit(BoundaryMessage message)
    {
        switch (message)
        {
            case ProvisionBatch or ProvisionData when sealedSession:
                throw new GateException(message.Kind, "input", "sealed data only: this session holds the data owner's key, so the enclave takes no plaintext images or labels from the host");
            case ProvisionData data:
                _trainingSplit ??= data.Split;
                break;
            case ProvisionSealed { Part: SealedPart.Header } piece:
                _trainingSplit ??= piece.Split;
                break;
            case SelectBatch selection:
                if (selection.Indices.dtype != ScalarType.Int64 || selection.Indices.dim() != 1)
                    throw new GateException(message.Kind, "indices", $"int64 [B], got {Describe(selection.Indices)}");
                break;
        }
    }

    /// <summary>Checks a step against the batch it will run on.</summary>
    /// <param name="step">The step.</param>
    /// <param name="split">The split of a selected batch; null for a batch the host provided (plaintext session).</param>
    /// <param name="batchSize">Samples in the batch.</param>
    public void AdmitStep(RunStep step, string? split, long batchSize)
    {
        if (step.Step != StepKind.Train) return;
        if (split is not null && split != _trainingSplit)
            throw new GateException(MessageKind.RunStep, "split", $"a training step on the training set '{_trainingSplit}' only, not on '{split}' (evaluate other sets with inference steps)");
        if (hasBatchNorm && batchSize < 2)
            throw new GateException(MessageKind.RunStep, "batch", $"at least 2 samples for a training step of a network with BatchNorm, got {batchSize}");
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
        if (tensor.is_floating_point())
        {
            using Tensor finite = tensor.isfinite().all();
            if (!finite.item<bool>())
                throw new GateException(what, layer, "finite values, got NaN or infinity");
        }
        return tensor;
    }

    private static string Describe(Tensor t) => $"{t.dtype} [{string.Join(", ", t.shape)}]";
}
