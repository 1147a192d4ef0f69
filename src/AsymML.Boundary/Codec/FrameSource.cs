using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>Where a <see cref="FrameReader"/> takes one frame payload from. The reader checks every length against
/// <see cref="Left"/> before asking, so a source never allocates or reads beyond the frame.</summary>
internal abstract class FrameSource
{
    /// <summary>Payload bytes not yet consumed (tensor data included).</summary>
    public abstract long Left { get; }

    /// <summary>The next <paramref name="count"/> field bytes (0 ≤ count ≤ <see cref="Left"/>), valid until the next call.</summary>
    public abstract ReadOnlySpan<byte> Take(int count);

    /// <summary>A new tensor of <paramref name="type"/> and <paramref name="shape"/> filled with the next
    /// <paramref name="bytes"/> bytes (≤ <see cref="Left"/>, = numel × element size), registered in the current
    /// dispose scope.</summary>
    public abstract Tensor TensorData(ScalarType type, long[] shape, long bytes);
}

/// <summary>A payload already in memory.</summary>
internal sealed class MemorySource(ReadOnlyMemory<byte> payload) : FrameSource
{
    private int _position;

    public override long Left => payload.Length - _position;

    public override ReadOnlySpan<byte> Take(int count)
    {
        ReadOnlySpan<byte> span = payload.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    public override Tensor TensorData(ScalarType type, long[] shape, long bytes)
    {
        Tensor tensor = empty(shape, dtype: type);
        if (bytes > 0) payload.Span.Slice(_position, (int)bytes).CopyTo(tensor.bytes);
        _position += (int)bytes;
        return tensor;
    }
}
