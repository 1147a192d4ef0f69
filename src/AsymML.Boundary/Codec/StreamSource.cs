using System.Buffers;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>
/// A payload of known length still in a stream (a socket). Fields are read through a small pooled buffer that
/// never reads past the frame's end; tensor data go from the stream straight into the new tensor's native memory
/// (after what the buffer already holds), in as many reads as the stream needs. No whole-payload array.
/// </summary>
internal sealed class StreamSource : FrameSource, IDisposable
{
    /// <summary>Bytes of the field buffer (grown only for a string longer than this).</summary>
    internal const int BufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;   // first unconsumed byte in _buffer
    private int _end;     // end of the bytes read into _buffer
    private long _unread; // payload bytes still in the stream

    public StreamSource(Stream stream, int payloadBytes)
    {
        _stream = stream;
        _unread = payloadBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(BufferBytes, Math.Max(payloadBytes, 16)));
    }

    public override long Left => _end - _start + _unread;

    public override ReadOnlySpan<byte> Take(int count)
    {
        if (_end - _start < count) Fill(count);
        ReadOnlySpan<byte> span = _buffer.AsSpan(_start, count);
        _start += count;
        return span;
    }

    public override Tensor TensorData(ScalarType type, long[] shape, long bytes)
    {
        Tensor tensor = empty(shape, dtype: type);
        if (bytes == 0) return tensor;
        Span<byte> data = tensor.bytes;
        int buffered = (int)Math.Min(_end - _start, bytes);
        _buffer.AsSpan(_start, buffered).CopyTo(data);
        _start += buffered;
        Span<byte> rest = data[buffered..];
        _stream.ReadExactly(rest); // EndOfStreamException if the peer stops inside the frame
        _unread -= rest.Length;
        return tensor;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Reads until <paramref name="count"/> bytes are buffered, never beyond the frame.</summary>
    private void Fill(int count)
    {
        int held = _end - _start;
        if (count > _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(count);
            _buffer.AsSpan(_start, held).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else
        {
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
        }
        (_start, _end) = (0, held);
        while (_end < count)
        {
            int want = (int)Math.Min(_buffer.Length - _end, _unread);
            int got = _stream.Read(_buffer, _end, want);
            if (got == 0)
                throw new EndOfStreamException($"Stream ended inside a frame ({Left} payload bytes missing).");
            _end += got;
            _unread -= got;
        }
    }
}
