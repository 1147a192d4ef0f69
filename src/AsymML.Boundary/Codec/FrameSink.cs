using System.Buffers.Binary;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>Where a <see cref="FrameWriter"/>'s payload goes. <see cref="Position"/> counts payload bytes (tensor data
/// included, the 4-byte length prefix not), so every sink agrees on the frame's layout.</summary>
internal abstract class FrameSink
{
    /// <summary>Payload bytes written so far.</summary>
    public long Position { get; protected set; }

    /// <summary>Appends the bytes of a scalar or string field.</summary>
    public abstract void Write(ReadOnlySpan<byte> field);

    /// <summary>Appends the <paramref name="bytes"/> data bytes of <paramref name="tensor"/> (its header is already written).</summary>
    public abstract void TensorData(Tensor tensor, long bytes);
}

/// <summary>The sizing pass: counts payload bytes and notes each tensor in field order; writes nothing.</summary>
internal sealed class SizingSink : FrameSink
{
    public List<Tensor> Tensors { get; } = [];

    /// <summary>Payload bytes that are tensor data.</summary>
    public long TensorBytes { get; private set; }

    public override void Write(ReadOnlySpan<byte> field) => Position += field.Length;

    public override void TensorData(Tensor tensor, long bytes)
    {
        Tensors.Add(tensor);
        TensorBytes += bytes;
        Position = checked(Position + bytes);
    }
}

/// <summary>Fills one whole-frame array (length prefix included) of exactly the prepared size.</summary>
internal sealed class ArraySink : FrameSink
{
    private readonly byte[] _frame;
    private readonly PreparedFrame _prepared;
    private int _next;

    public ArraySink(byte[] frame, PreparedFrame prepared)
    {
        _frame = frame;
        _prepared = prepared;
        BinaryPrimitives.WriteInt32LittleEndian(frame, checked((int)prepared.PayloadBytes));
    }

    public override void Write(ReadOnlySpan<byte> field)
    {
        field.CopyTo(_frame.AsSpan(checked(4 + (int)Position)));
        Position += field.Length;
    }

    public override void TensorData(Tensor tensor, long bytes)
    {
        ReadOnlySpan<byte> data = _prepared.DataOf(_next++, tensor, bytes);
        data.CopyTo(_frame.AsSpan(checked(4 + (int)Position)));
        Position += bytes;
    }
}
