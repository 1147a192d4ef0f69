using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Enclave;

/// <summary>The one place where what the untrusted host sends is checked before the enclave uses it: the expected
/// kind and layer, and every tensor's shape and type.</summary>
internal static class UntrustedReplies
{
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
            throw new EnclaveException($"Protocol violation: expected {typeof(T).Name} for layer '{layer}', got {message.Kind} for '{message.Layer}'.");
        }
    }

    /// <summary>Throws unless <paramref name="tensor"/> has exactly the type and shape of <paramref name="like"/>.</summary>
    public static Tensor Checked(Tensor? tensor, Tensor like, string what, string layer) => Checked(tensor, like.shape, like.dtype, what, layer);

    /// <summary>Throws unless <paramref name="tensor"/> has type <paramref name="type"/> and exactly <paramref name="shape"/>.</summary>
    public static Tensor Checked(Tensor? tensor, long[] shape, ScalarType type, string what, string layer)
    {
        if (tensor is null)
            throw new EnclaveException($"The host sent no {what} for layer '{layer}'.");
        if (tensor.dtype != type || !tensor.shape.SequenceEqual(shape))
            throw new EnclaveException($"The host sent {what} of layer '{layer}' as {tensor.dtype} [{string.Join(", ", tensor.shape)}]; expected {type} [{string.Join(", ", shape)}].");
        return tensor;
    }
}
