namespace AsymML.Network;

/// <summary>A network description and its weights, as imported from a TorchSharp module. Disposing frees the weights.</summary>
/// <param name="Spec">The layer graph.</param>
/// <param name="Weights">Copies of the module's parameters and buffers, in the spec's order.</param>
public sealed record ImportedNetwork(NetworkSpec Spec, StateDict Weights) : IDisposable
{
    /// <summary>Frees <see cref="Weights"/>.</summary>
    public void Dispose() => Weights.Dispose();
}
