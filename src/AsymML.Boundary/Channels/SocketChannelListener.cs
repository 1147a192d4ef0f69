using System.Net.Sockets;
using AsymML.Boundary.Codec;

namespace AsymML.Boundary.Channels;

/// <summary>
/// A listening Unix domain socket waiting for the one peer of a boundary channel (made by
/// <see cref="SocketChannel.Listen"/>). Once <see cref="Accept"/> has returned the peer, the listening socket is closed
/// and its file deleted, so nobody else can connect; disposing the listener does the same if no peer came.
/// Thread-safe.
/// </summary>
public sealed class SocketChannelListener : IDisposable
{
    private readonly object _acceptGate = new();
    private readonly Socket _socket;
    private readonly FrameLimits _limits;
    private int _closed; // 1 once the listening socket is closed and its file deleted
    private bool _accepted;

    internal SocketChannelListener(Socket socket, string socketPath, BoundarySide side, FrameLimits limits)
    {
        _socket = socket;
        SocketPath = socketPath;
        Side = side;
        _limits = limits;
    }

    /// <summary>The socket file (deleted once the peer is accepted or the listener is disposed).</summary>
    public string SocketPath { get; }

    /// <summary>The listening side; the accepted endpoint belongs to it.</summary>
    public BoundarySide Side { get; }

    /// <summary>
    /// Waits for the peer to connect and returns this side's endpoint. A channel has exactly one peer: afterwards
    /// the socket file is gone, further connection attempts fail and a second call throws.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <exception cref="TimeoutException">No peer connected in time (the listener keeps listening).</exception>
    /// <exception cref="InvalidOperationException">The peer was already accepted.</exception>
    /// <exception cref="ObjectDisposedException">The listener was disposed (also while waiting).</exception>
    public SocketChannelEndpoint Accept(TimeSpan timeout)
    {
        SocketChannel.CheckTimeout(timeout);
        lock (_acceptGate)
        {
            if (_accepted)
                throw new InvalidOperationException($"The {Side} side at {SocketPath} already accepted its peer; a boundary channel has exactly one.");
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
            Socket peer;
            try
            {
                if (!SocketChannel.WaitReadable(_socket, timeout))
                    throw new TimeoutException($"No {SocketChannel.Other(Side)} process connected to {SocketPath} within {SocketChannel.Seconds(timeout)} s.");
                peer = _socket.Accept();
            }
            catch (Exception e) when ((e is ObjectDisposedException or SocketException) && Volatile.Read(ref _closed) != 0)
            {
                throw new ObjectDisposedException($"The listener at {SocketPath} was disposed while waiting for the {SocketChannel.Other(Side)} process.", e);
            }
            catch (SocketException e)
            {
                throw new IOException($"Accepting the {SocketChannel.Other(Side)} process at {SocketPath} failed: {e.Message}.", e);
            }
            _accepted = true;
            Close();
            return new SocketChannelEndpoint(peer, Side, SocketPath, _limits);
        }
    }

    /// <summary>Stops listening and deletes the socket file (an accepted endpoint stays open).</summary>
    public void Dispose() => Close();

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _socket.Dispose();
        SocketChannel.TryDelete(SocketPath);
    }
}
