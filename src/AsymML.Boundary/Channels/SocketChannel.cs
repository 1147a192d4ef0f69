using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using AsymML.Boundary.Codec;

namespace AsymML.Boundary.Channels;

/// <summary>
/// The boundary between two processes over a Unix domain socket. The host listens at a path it chooses
/// (<see cref="Listen"/>) and accepts exactly one peer; the enclave process connects to that path
/// (<see cref="Connect"/>). Only <see cref="FrameCodec"/> frames cross (no handshake, no other bytes), so an endpoint
/// behaves like an <see cref="InProcessChannel"/> endpoint with a process boundary in between: the receiver gets a
/// copy decoded and checked by the codec, silence is a <see cref="TimeoutException"/>, a peer that closes or dies is a
/// <see cref="BoundaryClosedException"/> and a malformed frame is a <see cref="FrameFormatException"/>.
/// </summary>
public static class SocketChannel
{
    /// <summary>Longest socket path in UTF-8 bytes: Linux's <c>sun_path</c> holds 108 bytes including the terminator.</summary>
    public const int MaxPathBytes = 107;

    /// <summary>How long a blocking wait runs before it looks again (at disposal, at the clock).</summary>
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a connecting side waits between attempts while the socket file is missing or refuses.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Binds and listens at <paramref name="socketPath"/> (which must not exist; the file is made readable and
    /// writable by the owner only) for the one peer of <paramref name="side"/>. Accept it with
    /// <see cref="SocketChannelListener.Accept"/>; disposing the listener deletes the socket file.
    /// </summary>
    /// <param name="socketPath">Where the socket file goes (at most <see cref="MaxPathBytes"/> UTF-8 bytes).</param>
    /// <param name="side">The listening side (normally <see cref="BoundarySide.Host"/>).</param>
    /// <param name="limits">Bounds every received frame must respect; <see cref="FrameLimits.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The path is empty or too long for a Unix socket.</exception>
    /// <exception cref="IOException">Something already exists at the path, or binding failed.</exception>
    public static SocketChannelListener Listen(string socketPath, BoundarySide side, FrameLimits? limits = null)
    {
        UnixDomainSocketEndPoint endPoint = EndPointFor(socketPath);
        if (File.Exists(socketPath) || Directory.Exists(socketPath))
            throw new IOException($"Cannot listen at {socketPath}: it already exists (another host listening there, or a socket file left behind by a crashed run: delete it or choose another path).");
        Socket socket = NewSocket();
        bool bound = false;
        try
        {
            socket.Bind(endPoint);
            bound = true;
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(1);
            return new SocketChannelListener(socket, socketPath, side, limits ?? FrameLimits.Default);
        }
        catch (Exception e)
        {
            socket.Dispose();
            if (bound) TryDelete(socketPath);
            if (e is SocketException s)
                throw new IOException($"Cannot listen at {socketPath}: {s.Message}.", s);
            throw;
        }
    }

    /// <summary>
    /// Connects <paramref name="side"/> (normally the enclave process) to the listener at
    /// <paramref name="socketPath"/>, retrying while the socket file does not exist yet or nobody listens on it,
    /// until <paramref name="timeout"/> has passed.
    /// </summary>
    /// <param name="socketPath">The listener's socket path.</param>
    /// <param name="side">The connecting side.</param>
    /// <param name="timeout">How long to keep trying; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="limits">Bounds every received frame must respect; <see cref="FrameLimits.Default"/> when null.</param>
    /// <exception cref="TimeoutException">No listener answered at the path in time; the message names the path and why.</exception>
    /// <exception cref="IOException">Connecting failed for a reason retrying cannot fix (e.g. permission denied).</exception>
    public static SocketChannelEndpoint Connect(string socketPath, BoundarySide side, TimeSpan timeout, FrameLimits? limits = null)
    {
        UnixDomainSocketEndPoint endPoint = EndPointFor(socketPath);
        CheckTimeout(timeout);
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            string reason;
            SocketException? last = null;
            if (File.Exists(socketPath))
            {
                Socket socket = NewSocket();
                try
                {
                    socket.Connect(endPoint);
                    return new SocketChannelEndpoint(socket, side, socketPath, limits ?? FrameLimits.Default);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.TryAgain)
                {
                    socket.Dispose();
                    last = e;
                    reason = $"the socket file exists but nobody accepts on it ({e.Message})";
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    throw new IOException($"The {side} side could not connect to {socketPath}: {e.Message}.", e);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
            else
            {
                reason = "no such socket file";
            }
            TimeSpan left = Remaining(timeout, start);
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"The {side} side could not connect to {socketPath} within {Seconds(timeout)} s: {reason}.", last);
            Thread.Sleep(left < RetryPause ? left : RetryPause);
        }
    }

    /// <summary>Waits until <paramref name="socket"/> is readable (data, a pending connection, end of stream or an
    /// error) or <paramref name="timeout"/> passes; false on timeout. Polls in slices so that a socket disposed by
    /// another thread ends the wait with <see cref="ObjectDisposedException"/>.</summary>
    internal static bool WaitReadable(Socket socket, TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            TimeSpan left = Remaining(timeout, start);
            TimeSpan slice = left < PollSlice ? (left < TimeSpan.Zero ? TimeSpan.Zero : left) : PollSlice;
            if (socket.Poll(slice, SelectMode.SelectRead))
                return true;
            if (Remaining(timeout, start) <= TimeSpan.Zero)
                return false;
        }
    }

    /// <summary>Time left of <paramref name="timeout"/> since <paramref name="start"/>; never ends when infinite.</summary>
    internal static TimeSpan Remaining(TimeSpan timeout, long start) => timeout == Timeout.InfiniteTimeSpan
        ? TimeSpan.MaxValue
        : timeout - Stopwatch.GetElapsedTime(start);

    /// <summary>Refuses negative timeouts other than <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    internal static void CheckTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout is zero or more, or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>A timeout for messages: "0.05", "5", "infinite".</summary>
    internal static string Seconds(TimeSpan timeout) => timeout == Timeout.InfiniteTimeSpan ? "infinite" : timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The other side's name for messages.</summary>
    internal static string Other(BoundarySide side) => side == BoundarySide.Host ? "enclave" : "host";

    internal static void TryDelete(string socketPath)
    {
        try
        {
            File.Delete(socketPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static Socket NewSocket() => new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    private static UnixDomainSocketEndPoint EndPointFor(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        int bytes = Encoding.UTF8.GetByteCount(socketPath);
        if (bytes > MaxPathBytes)
            throw new ArgumentException($"Socket path {socketPath} is {bytes} bytes; Unix domain sockets allow at most {MaxPathBytes}. Choose a shorter directory.", nameof(socketPath));
        try
        {
            return new UnixDomainSocketEndPoint(socketPath);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentException($"Socket path {socketPath} is too long for a Unix domain socket on this system.", nameof(socketPath), e);
        }
    }
}
