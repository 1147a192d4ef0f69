using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>
/// A frame as the in-process channel queues it: the payload's field bytes exactly as on the wire (version, kind,
/// strings, scalars, tensor headers) with the tensor data left out, and in their place, in field order, one private
/// contiguous CPU copy of each tensor. Decoding it runs the same <see cref="FrameReader"/> checks as a frame of bytes
/// (the left-out data still count in every "bytes left" check) and hands the copies to the receiver, so a tensor is
/// copied once per crossing instead of twice (into bytes and out again). Owns its copies until decoded.
/// </summary>
internal sealed class TensorFrame : IDisposable
{
    private readonly Tensor[] _data;

    internal TensorFrame(byte[] fields, Tensor[] data, long payloadBytes)
    {
        Fields = fields;
        _data = data;
        PayloadBytes = payloadBytes;
    }

    /// <summary>The payload without tensor data.</summary>
    public byte[] Fields { get; }

    /// <summary>The tensors' data, as owned tensors, in field order.</summary>
    public IReadOnlyList<Tensor> Data => _data;

    /// <summary>Payload bytes the equivalent byte frame has (tensor data included).</summary>
    public long PayloadBytes { get; }

    /// <summary>Bytes of the equivalent byte frame, length prefix included: what a meter counts.</summary>
    public long Length => 4 + PayloadBytes;

    /// <summary>Disposes the copies (a receiver holds its own references to those it took).</summary>
    public void Dispose()
    {
        foreach (Tensor t in _data) t.Dispose();
    }
}

/// <summary>Builds a <see cref="TensorFrame"/>: fields into an array of the prepared size, tensor data as copies.</summary>
internal sealed class TensorFrameSink(PreparedFrame prepared) : FrameSink
{
    private readonly byte[] _fields = new byte[prepared.FieldBytes];
    private readonly List<Tensor> _copies = [];
    private int _fieldPosition;

    public override void Write(ReadOnlySpan<byte> field)
    {
        field.CopyTo(_fields.AsSpan(_fieldPosition));
        _fieldPosition += field.Length;
        Position += field.Length;
    }

    public override void TensorData(Tensor tensor, long bytes)
    {
        _copies.Add(prepared.CopyOf(_copies.Count, tensor));
        Position += bytes;
    }

    /// <summary>The frame; the sink's copies now belong to it.</summary>
    public TensorFrame Finish()
    {
        if (Position != prepared.PayloadBytes || _fieldPosition != _fields.Length)
            throw new InvalidOperationException($"The {prepared.Message.Kind} frame wrote {Position} payload bytes, sized as {prepared.PayloadBytes}.");
        return new TensorFrame(_fields, [.. _copies], Position);
    }

    /// <summary>Disposes the copies made so far (the encoding failed).</summary>
    public void Abandon()
    {
        foreach (Tensor t in _copies) t.Dispose();
        _copies.Clear();
    }
}

/// <summary>Reads a <see cref="TensorFrame"/>: fields from its bytes, tensor data by taking its copies, which must
/// match the header just read (type, shape, contiguous CPU memory).</summary>
internal sealed class TensorFrameSource(TensorFrame frame) : FrameSource
{
    private int _fieldPosition;
    private int _nextTensor;
    private long _consumed;

    public override long Left => frame.PayloadBytes - _consumed;

    public override ReadOnlySpan<byte> Take(int count)
    {
        if (count > frame.Fields.Length - _fieldPosition)
            throw new FrameFormatException($"Truncated frame: {count} field bytes wanted, {frame.Fields.Length - _fieldPosition} left before tensor data.");
        ReadOnlySpan<byte> span = frame.Fields.AsSpan(_fieldPosition, count);
        _fieldPosition += count;
        _consumed += count;
        return span;
    }

    public override Tensor TensorData(ScalarType type, long[] shape, long bytes)
    {
        if (_nextTensor >= frame.Data.Count)
            throw new FrameFormatException($"Truncated frame: tensor {_nextTensor} has a header but no data.");
        Tensor data = frame.Data[_nextTensor++];
        if (data.dtype != type || !data.shape.SequenceEqual(shape) || data.device_type != DeviceType.CPU || !data.is_contiguous())
            throw new FrameFormatException($"Tensor {_nextTensor - 1} is {data.dtype} [{string.Join(", ", data.shape)}] but its header says {type} [{string.Join(", ", shape)}].");
        _consumed += bytes;
        return data.alias(); // a new reference in the receiver's dispose scope; the frame's own is disposed with the frame
    }
}
