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

    /// <summary>Creates a connected pair of endpoints.</summary>
    public static (IBoundaryEndpoint Host, IBoundaryEndpoint Enclave) CreatePair(FrameLimits? limits = null)
    {
        var channel = new InProcessChannel();
        FrameLimits l = limits ?? FrameLimits.Default;
        return (new Endpoint(BoundarySide.Host, channel._toEnclave, channel._toHost, l),
                new Endpoint(BoundarySide.Enclave, channel._toHost, channel._toEnclave, l));
    }

    private sealed class Endpoint(BoundarySide side, BlockingCollection<byte[]> outgoing, BlockingCollection<byte[]> incoming, FrameLimits limits)
        : IBoundaryEndpoint
    {
        public BoundarySide Side { get; } = side;

        public void Send(BoundaryMessage message)
        {
            byte[] frame = FrameCodec.Encode(message, limits);
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
                return FrameCodec.Decode(frame, limits);
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
