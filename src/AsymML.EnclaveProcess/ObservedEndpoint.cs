using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;

namespace AsymML.EnclaveProcess;

/// <summary>Passes everything through to the socket endpoint and remembers the first <see cref="ErrorMessage"/> the
/// enclave runtime sent: <see cref="Enclave.EnclaveRuntime.Serve"/> returns both when the host closes the channel
/// (a clean end) and after it reported a failure, and the process's exit code must tell the two apart.</summary>
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

    public BoundaryMessage Receive(TimeSpan timeout) => inner.Receive(timeout);

    public void Dispose() => inner.Dispose();
}
