using System.Buffers;
using System.Buffers.Binary;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>
/// Writes one prepared frame to a stream without building it in memory: the length prefix and fields gather in a
/// small pooled buffer (together with tensors that fit in it, so a small frame is one write); a larger tensor's
/// contiguous CPU bytes go from its native memory straight to the stream.
/// </summary>
internal sealed class StreamSink : FrameSink, IDisposable
{
    /// <summary>Bytes of the gathering buffer.</summary>
    internal const int BufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly PreparedFrame _prepared;
    private byte[] _buffer;
    private int _used;
    private int _next;

    public StreamSink(Stream stream, PreparedFrame prepared)
    {
        _stream = stream;
        _prepared = prepared;
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferBytes, prepared.Length));
        BinaryPrimitives.WriteInt32LittleEndian(_buffer, checked((int)prepared.PayloadBytes));
        _used = 4;
    }

    public override void Write(ReadOnlySpan<byte> field)
    {
        Put(field);
        Position += field.Length;
    }

    public override void TensorData(Tensor tensor, long bytes)
    {
        Put(_prepared.DataOf(_next++, tensor, bytes));
        Position += bytes;
    }

    /// <summary>Sends what is still gathered and flushes the stream.</summary>
    public void Finish()
    {
        if (Position != _prepared.PayloadBytes)
            throw new InvalidOperationException($"The {_prepared.Message.Kind} frame wrote {Position} payload bytes, sized as {_prepared.PayloadBytes}.");
        Drain();
        _stream.Flush();
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used) Drain();
        if (bytes.Length > _buffer.Length)
        {
            _stream.Write(bytes); // large tensor data: no staging copy
            return;
        }
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    private void Drain()
    {
        if (_used == 0) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }
}
