using System.Collections.Concurrent;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;

namespace AsymML.Boundary.Channels;

/// <summary>
/// Both sides in one process: two queues of encoded frames. Every message is encoded on send and decoded on
/// receive through the same <see cref="FrameCodec"/> the socket channel uses, so what the receiver gets is a copy
/// checked exactly as a frame from another process would be.
/// </summary>
public sealed class InProcessChannel
{
    private readonly BlockingCollection<byte[]> _toEnclave = new();
    private readonly BlockingCollection<byte[]> _toHost = new();

    private InProcessChannel()
    {
    }

    /// <summary>Creates a connected pair of endpoints; <paramref name="meter"/>, if given, adds up the encoding and
    /// decoding time and the bytes of both directions.</summary>
    public static (IBoundaryEndpoint Host, IBoundaryEndpoint Enclave) CreatePair(FrameLimits? limits = null, BoundaryMeter? meter = null)
    {
        var channel = new InProcessChannel();
        FrameLimits l = limits ?? FrameLimits.Default;
        BoundaryMeter m = meter ?? new BoundaryMeter();
        return (new Endpoint(BoundarySide.Host, channel._toEnclave, channel._toHost, l, m),
                new Endpoint(BoundarySide.Enclave, channel._toHost, channel._toEnclave, l, m));
    }

    private sealed class Endpoint(BoundarySide side, BlockingCollection<byte[]> outgoing, BlockingCollection<byte[]> incoming, FrameLimits limits, BoundaryMeter meter)
        : IBoundaryEndpoint
    {
        public BoundarySide Side { get; } = side;

        public void Send(BoundaryMessage message)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            byte[] frame = FrameCodec.Encode(message, limits);
            meter.Add(start, frame.Length);
            try
            {
                outgoing.Add(frame);
            }
            catch (InvalidOperationException e)
            {
                throw new BoundaryClosedException($"The {Other} side closed the channel.", e);
            }
        }

        public BoundaryMessage Receive(TimeSpan timeout)
        {
            try
            {
                if (!incoming.TryTake(out byte[]? frame, timeout))
                    throw incoming.IsCompleted
                        ? new BoundaryClosedException($"The {Other} side closed the channel.")
                        : new TimeoutException($"No message from the {Other} side within {timeout.TotalSeconds:0.#} s.");
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                BoundaryMessage message = FrameCodec.Decode(frame, limits);
                meter.Add(start, 0);
                return message;
            }
            catch (InvalidOperationException e)
            {
                throw new BoundaryClosedException($"The {Other} side closed the channel.", e);
            }
        }

        private string Other => Side == BoundarySide.Host ? "enclave" : "host";

        public void Dispose()
        {
            outgoing.CompleteAdding();
            incoming.CompleteAdding();
        }
    }
}
