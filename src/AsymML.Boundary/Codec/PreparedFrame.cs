using AsymML.Boundary.Messages;
using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>
/// A message checked and sized for encoding, before any byte of it is written: its payload length (within the
/// limits) and, per tensor in field order, a contiguous CPU tensor holding its data: the message's own tensor when
/// it already is one (no copy), else a copy this frame owns. Once prepared, writing the frame can fail only on I/O,
/// so a stream never receives half a frame because of a bad message.
/// </summary>
internal sealed class PreparedFrame : IDisposable
{
    private readonly Tensor[] _sources;
    private readonly Tensor?[] _data;
    private readonly bool[] _owned;

    /// <summary>Prepares the frame sized by <paramref name="sizing"/> (which ran over <paramref name="message"/>).</summary>
    internal PreparedFrame(BoundaryMessage message, SizingSink sizing)
    {
        Message = message;
        PayloadBytes = sizing.Position;
        TensorBytes = sizing.TensorBytes;
        _sources = [.. sizing.Tensors];
        _data = new Tensor?[_sources.Length];
        _owned = new bool[_sources.Length];
        try
        {
            for (int i = 0; i < _sources.Length; i++)
            {
                Tensor t = _sources[i];
                if (t.device_type == DeviceType.CPU && t.is_contiguous())
                {
                    _data[i] = t;
                    continue;
                }
                using (NewDisposeScope()) // frees the intermediate detach/cpu handles; the copy is ours
                    _data[i] = t.detach().cpu().contiguous().DetachFromDisposeScope();
                _owned[i] = true;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The message being encoded.</summary>
    public BoundaryMessage Message { get; }

    /// <summary>Payload bytes (after the 4-byte length prefix).</summary>
    public long PayloadBytes { get; }

    /// <summary>Payload bytes that are tensor data.</summary>
    public long TensorBytes { get; }

    /// <summary>Payload bytes that are not tensor data (version, kind, strings, scalars, tensor headers).</summary>
    public long FieldBytes => PayloadBytes - TensorBytes;

    /// <summary>Whole frame bytes, length prefix included: what a meter counts.</summary>
    public long Length => 4 + PayloadBytes;

    /// <summary>The data bytes of the <paramref name="index"/>-th tensor written, which must be
    /// <paramref name="tensor"/> with <paramref name="bytes"/> data bytes, as sized.</summary>
    public ReadOnlySpan<byte> DataOf(int index, Tensor tensor, long bytes)
    {
        Tensor data = Check(index, tensor);
        if (bytes == 0) return default;
        Span<byte> span = data.bytes; // zero-copy view of native memory; bytes ≤ PayloadBytes ≤ int.MaxValue here
        if (span.Length != bytes)
            throw new InvalidOperationException($"A {Message.Kind} tensor changed size while being encoded ({span.Length} bytes, sized as {bytes}).");
        return span;
    }

    /// <summary>A new contiguous CPU tensor with the data of the <paramref name="index"/>-th tensor, detached from
    /// every dispose scope (the caller owns it); the copy made while preparing is handed over instead of copied again.</summary>
    /// <remarks>The copy is one single-threaded memory copy, not <c>clone()</c>: libtorch's copy splits the work over
    /// its intra-op threads, and on a busy 2-core machine waiting for a descheduled thread made a 1–16 MB clone 10–30×
    /// slower than a plain copy (bench <c>boundary</c>; docs/boundary.md). Above ~32 MB both are bound by page faults
    /// of the fresh allocation.</remarks>
    public Tensor CopyOf(int index, Tensor tensor)
    {
        Tensor data = Check(index, tensor);
        if (_owned[index])
        {
            _owned[index] = false;
            _data[index] = null;
            return data;
        }
        Tensor copy = empty(data.shape, dtype: data.dtype).DetachFromDisposeScope();
        try
        {
            if (data.numel() > 0) data.bytes.CopyTo(copy.bytes);
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Disposes the copies this frame still owns.</summary>
    public void Dispose()
    {
        for (int i = 0; i < _data.Length; i++)
        {
            if (_owned[i]) _data[i]?.Dispose();
            _owned[i] = false;
            _data[i] = null;
        }
    }

    private Tensor Check(int index, Tensor tensor)
    {
        if (index >= _sources.Length || !ReferenceEquals(_sources[index], tensor))
            throw new InvalidOperationException($"The {Message.Kind} encoding wrote tensor {index} differently from when it was sized.");
        return _data[index] ?? throw new InvalidOperationException($"Tensor {index} of the {Message.Kind} frame was already handed over.");
    }
}
