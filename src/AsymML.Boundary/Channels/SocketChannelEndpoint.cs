using System.Diagnostics;
using System.Net.Sockets;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;

namespace AsymML.Boundary.Channels;

/// <summary>
/// One side's end of a <see cref="SocketChannel"/>: a connected Unix domain socket carrying <see cref="FrameCodec"/>
/// frames. Same semantics as an <see cref="InProcessChannel"/> endpoint. One sender and one receiver at a time
/// (concurrent calls queue). <see cref="Receive"/>'s timeout bounds the wait for a frame to <em>begin</em>: once
/// its first byte is there the whole frame is read (so a timeout never leaves half a frame behind), unless the peer
/// stalls inside it for <see cref="MidFrameStall"/>, which ends the connection.
/// </summary>
public sealed class SocketChannelEndpoint : IBoundaryEndpoint
{
    /// <summary>How long the peer may go silent in the middle of a frame before the connection counts as dead.</summary>
    public static readonly TimeSpan MidFrameStall = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameLimits _limits;
    private readonly object _sendGate = new();
    private readonly object _receiveGate = new();
    private string? _receiveFault; // why incoming bytes can no longer be read as frames (peer gone, stream desynchronised)
    private volatile bool _peerGone;
    private int _disposed;

    internal SocketChannelEndpoint(Socket socket, BoundarySide side, string socketPath, FrameLimits limits)
    {
        _socket = socket;
        _socket.ReceiveTimeout = (int)MidFrameStall.TotalMilliseconds; // applies to blocking reads, never to the wait for a frame
        _stream = new NetworkStream(socket, ownsSocket: false);
        _limits = limits;
        Side = side;
        SocketPath = socketPath;
    }

    /// <inheritdoc />
    public BoundarySide Side { get; }

    /// <summary>The side at the other end of the socket.</summary>
    public BoundarySide PeerSide => Side == BoundarySide.Host ? BoundarySide.Enclave : BoundarySide.Host;

    /// <summary>The socket path the channel was made at (the file itself is gone once the listener accepted).</summary>
    public string SocketPath { get; }

    /// <summary>
    /// Whether the peer still seems connected: false once this endpoint is disposed or has seen the peer close, die
    /// or break the stream, or when a non-blocking look shows the connection ended with nothing left to read. A hint
    /// for supervisors (e.g. "did the enclave process die?"); <see cref="Send"/> and <see cref="Receive"/> report the
    /// same with <see cref="BoundaryClosedException"/>.
    /// </summary>
    public bool IsPeerConnected
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0 || _peerGone) return false;
            if (!Monitor.TryEnter(_receiveGate)) return true; // a receiver is reading; it will find out first
            try
            {
                return !(_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
            finally
            {
                Monitor.Exit(_receiveGate);
            }
        }
    }

    /// <summary>Tests only: whether a <see cref="Receive"/> is under way (past its checks, waiting or reading), so that
    /// a test can act on a blocked receiver without sleeping and hoping.</summary>
    internal bool IsReceiving
    {
        get
        {
            if (!Monitor.TryEnter(_receiveGate)) return true;
            Monitor.Exit(_receiveGate);
            return false;
        }
    }

    private string Other => SocketChannel.Other(Side);

    private bool Disposed => Volatile.Read(ref _disposed) != 0;

    /// <inheritdoc />
    /// <exception cref="FrameFormatException">The message breaks the frame limits (nothing was sent).</exception>
    /// <exception cref="ObjectDisposedException">This endpoint was disposed.</exception>
    public void Send(BoundaryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(Disposed, this);
        using PreparedFrame frame = FrameCodec.Prepare(message, _limits); // refusals happen here, before a byte is sent
        lock (_sendGate)
        {
            try
            {
                FrameCodec.Write(_stream, frame); // fields through a small buffer, tensor bytes straight from tensor memory
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                if (Disposed)
                    throw new BoundaryClosedException($"This {Side} endpoint was disposed while sending {message.Kind}.", e);
                _peerGone = true;
                throw new BoundaryClosedException($"The {Other} side closed the connection; {message.Kind} was not delivered ({Reason(e)}).", e);
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="FrameFormatException">The peer sent a malformed frame; later calls throw
    /// <see cref="BoundaryClosedException"/> since the stream is no longer at a frame boundary.</exception>
    /// <exception cref="ObjectDisposedException">This endpoint was disposed.</exception>
    public BoundaryMessage Receive(TimeSpan timeout)
    {
        SocketChannel.CheckTimeout(timeout);
        ObjectDisposedException.ThrowIf(Disposed, this);
        long start = Stopwatch.GetTimestamp();
        if (!Monitor.TryEnter(_receiveGate, timeout))
            throw new TimeoutException($"No message from the {Other} side within {SocketChannel.Seconds(timeout)} s (another thread was receiving).");
        try
        {
            if (_receiveFault is not null)
                throw new BoundaryClosedException(_receiveFault);
            TimeSpan left = SocketChannel.Remaining(timeout, start);
            if (!SocketChannel.WaitReadable(_socket, left < TimeSpan.Zero ? TimeSpan.Zero : left))
                throw new TimeoutException($"No message from the {Other} side within {SocketChannel.Seconds(timeout)} s.");
            return FrameCodec.Read(_stream, _limits) ?? throw Closed($"The {Other} side closed the connection.", null, orderly: true);
        }
        catch (FrameFormatException e)
        {
            _receiveFault = $"The {Other} side sent a malformed frame earlier ({e.Message}); nothing after it can be read as frames.";
            throw;
        }
        catch (EndOfStreamException e)
        {
            throw Closed($"The {Other} side closed the connection in the middle of a frame.", e);
        }
        catch (Exception e) when ((e is IOException or SocketException or ObjectDisposedException) && e is not BoundaryClosedException)
        {
            if (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock } && !Disposed)
                throw Closed($"The {Other} side stopped sending in the middle of a frame for {SocketChannel.Seconds(MidFrameStall)} s; the connection is unusable.", e);
            throw Closed($"The {Other} side closed the connection ({Reason(e)}).", e);
        }
        finally
        {
            Monitor.Exit(_receiveGate);
        }
    }

    /// <summary>Closes the socket: the peer's <see cref="Receive"/> and <see cref="Send"/> then throw
    /// <see cref="BoundaryClosedException"/>, and so do calls of this endpoint already waiting on other threads.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both); // wakes blocked reads here, end of stream there
        }
        catch (SocketException)
        {
        }
        _stream.Dispose();
        _socket.Dispose();
    }

    /// <summary>Records that incoming bytes are over and makes the exception to throw (naming a local disposal as such).</summary>
    private BoundaryClosedException Closed(string text, Exception? inner, bool orderly = false)
    {
        if (Disposed)
            return new BoundaryClosedException($"This {Side} endpoint was disposed while receiving.", inner);
        _peerGone = true;
        _receiveFault = text;
        return new BoundaryClosedException(text, inner) { Orderly = orderly };
    }

    private static string Reason(Exception e) => (e.InnerException as SocketException ?? e as SocketException)?.Message ?? e.Message;
}
