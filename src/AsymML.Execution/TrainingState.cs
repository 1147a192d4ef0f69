using AsymML.Network;

namespace AsymML.Execution;

/// <summary>What a checkpoint keeps of a run's model: the weights and BatchNorm buffers (public), the optimizer's
/// state and the enclave's tag over both. The host holds it but cannot change it unnoticed: the enclave refuses, on
/// resume, a state whose tag does not verify under the data owner's key. Disposes <see cref="State"/>.</summary>
/// <param name="State">Weights and buffers in PyTorch's order.</param>
/// <param name="OptimizerState">The optimizer's state (TorchSharp's format).</param>
/// <param name="Tag">The enclave's two HMAC-SHA256 tags (64 bytes: weights alone, weights with the optimizer state), or empty: unauthenticated (a session without the owner's
/// key, or the untrusted-only baseline, which has no enclave).</param>
public sealed record TrainingState(StateDict State, byte[] OptimizerState, byte[] Tag) : IDisposable
{
    /// <summary>Whether the enclave tagged it under the data owner's key.</summary>
    public bool Authenticated => Tag.Length == 64;

    /// <inheritdoc />
    public void Dispose() => State.Dispose();
}
