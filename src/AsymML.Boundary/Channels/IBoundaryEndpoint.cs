using AsymML.Boundary.Messages;

namespace AsymML.Boundary.Channels;

/// <summary>
/// One side's end of a boundary channel: the only way enclave and host code exchange anything. Implementations copy
/// (a message's tensors are serialised), so no side ever aliases the other's memory.
/// </summary>
public interface IBoundaryEndpoint : IDisposable
{
    /// <summary>The side this endpoint belongs to.</summary>
    BoundarySide Side { get; }

    /// <summary>Sends a copy of <paramref name="message"/>; the caller keeps (and disposes) the original.</summary>
    /// <exception cref="BoundaryClosedException">The other side is gone.</exception>
    void Send(BoundaryMessage message);

    /// <summary>Waits for the next message; the caller owns it and disposes it.</summary>
    /// <exception cref="BoundaryClosedException">The other side is gone.</exception>
    /// <exception cref="TimeoutException">Nothing arrived within <paramref name="timeout"/>.</exception>
    BoundaryMessage Receive(TimeSpan timeout);
}
