using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;

namespace AsymML.EnclaveProcess;

/// <summary>Passes everything through to the socket endpoint and remembers the first <see cref="ErrorMessage"/> the
/// enclave runtime sent, or the first broken receive (the host closed or stalled in the middle of a frame):
/// <see cref="Enclave.EnclaveRuntime.Serve"/> returns in all three cases and when the host closes the channel
/// between messages (a clean end), and the process's exit code must tell them apart.</summary>
internal sealed class ObservedEndpoint(IBoundaryEndpoint inner) : IBoundaryEndpoint
{
    private string? _error;

    /// <summary>The text of the first error the enclave reported to the host, or null.</summary>
    public string? ReportedError => Volatile.Read(ref _error);

    public BoundarySide Side => inner.Side;

    public void Send(BoundaryMessage message)
    {
        if (message is ErrorMessage error)
            Interlocked.CompareExchange(ref _error, error.Text, null);
        inner.Send(message);
    }

    public BoundaryMessage Receive(TimeSpan timeout)
    {
        try
        {
            return inner.Receive(timeout);
        }
        catch (BoundaryClosedException e) when (!e.Orderly)
        {
            Interlocked.CompareExchange(ref _error, e.Message, null);
            throw;
        }
    }

    public void Dispose() => inner.Dispose();
}
