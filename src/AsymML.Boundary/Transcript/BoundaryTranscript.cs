using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Boundary.Transcript;

/// <summary>
/// Records every payload that crosses a boundary endpoint (direction, kind, layer, shapes, bytes, optionally the
/// tensors themselves), so leakage can be measured rather than asserted. Thread-safe. Disposing frees kept tensors.
/// </summary>
public sealed class BoundaryTranscript : IDisposable
{
    private readonly List<TranscriptEntry> _entries = [];
    private readonly object _gate = new();

    /// <summary>Creates a transcript; <paramref name="keepTensors"/> stores a copy of every crossing tensor (memory!).</summary>
    public BoundaryTranscript(bool keepTensors = false) => KeepTensors = keepTensors;

    /// <summary>Whether tensor copies are kept.</summary>
    public bool KeepTensors { get; }

    /// <summary>A snapshot of the entries so far, in crossing order.</summary>
    public IReadOnlyList<TranscriptEntry> Entries
    {
        get
        {
            lock (_gate) return _entries.ToArray();
        }
    }

    /// <summary>Total tensor bytes that reached <paramref name="side"/>.</summary>
    public long BytesTo(BoundarySide side) => Entries.Where(e => e.To == side).Sum(e => e.Bytes);

    /// <summary>Wraps <paramref name="endpoint"/> so that everything it sends and receives is recorded here.</summary>
    public IBoundaryEndpoint Record(IBoundaryEndpoint endpoint) => new RecordingEndpoint(endpoint, this);

    internal void Add(BoundarySide to, BoundaryMessage message)
    {
        IReadOnlyList<Tensor> tensors = message.Tensors;
        long bytes = tensors.Sum(t => t.numel() * t.ElementSize);
        Tensor[] copies = KeepTensors ? tensors.Select(t => t.detach().clone().DetachFromDisposeScope()).ToArray() : [];
        lock (_gate)
        {
            _entries.Add(new TranscriptEntry(_entries.Count, to, message.Kind, message.Layer, tensors.Select(t => t.shape).ToArray(), bytes, copies));
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Blocks until an entry matching <paramref name="match"/> is recorded, <paramref name="stop"/> turns true,
    /// or <paramref name="timeout"/> passes; true if such an entry exists.</summary>
    public bool WaitFor(Func<TranscriptEntry, bool> match, Func<bool> stop, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
            while (true)
            {
                if (_entries.Any(match)) return true;
                long left = deadline - Environment.TickCount64;
                if (stop() || left <= 0) return false;
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(Math.Min(left, 1000))); // wakes on each entry; the slice re-reads stop
            }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (TranscriptEntry e in _entries)
                foreach (Tensor t in e.Tensors) t.Dispose();
            _entries.Clear();
        }
    }

    private sealed class RecordingEndpoint(IBoundaryEndpoint inner, BoundaryTranscript transcript) : IBoundaryEndpoint
    {
        public BoundarySide Side => inner.Side;

        public void Send(BoundaryMessage message)
        {
            inner.Send(message);
            transcript.Add(Side == BoundarySide.Host ? BoundarySide.Enclave : BoundarySide.Host, message);
        }

        public BoundaryMessage Receive(TimeSpan timeout)
        {
            BoundaryMessage message = inner.Receive(timeout);
            transcript.Add(Side, message);
            return message;
        }

        public void Dispose() => inner.Dispose();
    }
}
