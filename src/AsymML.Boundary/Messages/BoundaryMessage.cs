using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>
/// A message across the boundary. Ownership: a sender keeps its tensors (channels copy them); a receiver owns
/// the tensors of every message it receives and disposes them with <see cref="Dispose"/>.
/// </summary>
public abstract record BoundaryMessage : IDisposable
{
    /// <summary>What the message is.</summary>
    public abstract MessageKind Kind { get; }

    /// <summary>The layer it concerns (path name), or empty.</summary>
    public virtual string Layer => "";

    /// <summary>The tensors it carries, in a fixed order (what a transcript records and a codec writes).</summary>
    public virtual IReadOnlyList<Tensor> Tensors => [];

    /// <summary>Disposes the carried tensors.</summary>
    public void Dispose()
    {
        foreach (Tensor t in Tensors) t.Dispose();
        GC.SuppressFinalize(this);
    }
}
