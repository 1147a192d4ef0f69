using System.Collections.Concurrent;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;

namespace AsymML.Boundary.Channels;

/// <summary>
/// Both sides in one process: two queues of frames. Every message is encoded on send and decoded on receive through
/// the same <see cref="FrameCodec"/> switches and <c>FrameReader</c> checks the socket channel uses, so what the
/// receiver gets is a copy it owns, checked exactly as a frame from another process would be (element types, ranks,
/// string lengths, counts and sizes against the receiver's <see cref="FrameLimits"/>). The one difference from a
/// byte frame: tensor data travel as one private tensor copy each instead of being copied into bytes and out again
/// (a <c>TensorFrame</c>: fields as wire bytes, data as tensors), which halves the copies of a crossing and skips
/// allocating a managed array as large as the tensors. The meter counts the byte frame's size all the same.
/// </summary>
public sealed class InProcessChannel
{
    private readonly BlockingCollection<TensorFrame> _toEnclave = new();
    private readonly BlockingCollection<TensorFrame> _toHost = new();

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

    /// <summary>
    /// Tests only: how many more tensors the thread using <paramref name="endpoint"/> created for frames it sent (the
    /// receiving thread frees them) than it freed of frames created by the other side's thread. TorchSharp counts live
    /// tensors per thread (created there minus disposed there), so such a hand-over moves one tensor from the sender's
    /// count to the receiver's: the thread's count minus this is what it owns. 0 for other endpoints.
    /// </summary>
    internal static long TensorsHandedOver(IBoundaryEndpoint endpoint) =>
        endpoint is Endpoint e ? Interlocked.Read(ref e.HandedOver) : 0;

    private sealed class Endpoint(BoundarySide side, BlockingCollection<TensorFrame> outgoing, BlockingCollection<TensorFrame> incoming, FrameLimits limits, BoundaryMeter meter)
        : IBoundaryEndpoint
    {
        public BoundarySide Side { get; } = side;

        /// <summary>See <see cref="TensorsHandedOver"/>.</summary>
        public long HandedOver;

        public void Send(BoundaryMessage message)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            TensorFrame frame = FrameCodec.EncodeTensorFrame(message, limits);
            meter.Add(start, frame.Length);
            try
            {
                outgoing.Add(frame);
                Interlocked.Add(ref HandedOver, frame.Data.Count);
            }
            catch (InvalidOperationException e)
            {
                frame.Dispose();
                throw new BoundaryClosedException($"The {Other} side closed the channel.", e);
            }
        }

        public BoundaryMessage Receive(TimeSpan timeout)
        {
            try
            {
                if (!incoming.TryTake(out TensorFrame? frame, timeout))
                    throw incoming.IsCompleted
                        ? new BoundaryClosedException($"The {Other} side closed the channel.") { Orderly = true } // whole frames only
                        : new TimeoutException($"No message from the {Other} side within {timeout.TotalSeconds:0.#} s.");
                Interlocked.Add(ref HandedOver, -frame.Data.Count); // freed here, below
                using (frame) // the receiver keeps its own references to the tensors it took
                {
                    long start = System.Diagnostics.Stopwatch.GetTimestamp();
                    BoundaryMessage message = FrameCodec.DecodeTensorFrame(frame, limits);
                    meter.Add(start, 0);
                    return message;
                }
            }
            catch (InvalidOperationException e)
            {
                throw new BoundaryClosedException($"The {Other} side closed the channel.", e) { Orderly = true };
            }
        }

        private string Other => Side == BoundarySide.Host ? "enclave" : "host";

        public void Dispose()
        {
            outgoing.CompleteAdding();
            incoming.CompleteAdding();
            while (incoming.TryTake(out TensorFrame? unread)) // this side will not read them: free their tensors now
            {
                Interlocked.Add(ref HandedOver, -unread.Data.Count);
                unread.Dispose();
            }
        }
    }
}
