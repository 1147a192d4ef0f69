using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>Appends little-endian fields to a growing buffer.</summary>
internal sealed class FrameWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly byte[] _scratch = new byte[8];

    public void U8(byte value) => _buffer.WriteByte(value);

    public void Bool(bool value) => _buffer.WriteByte(value ? (byte)1 : (byte)0);

    public void I32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_scratch, value);
        _buffer.Write(_scratch, 0, 4);
    }

    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_scratch, value);
        _buffer.Write(_scratch, 0, 8);
    }

    public void F64(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_scratch, value);
        _buffer.Write(_scratch, 0, 8);
    }

    public void String(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        I32(bytes.Length);
        _buffer.Write(bytes);
    }

    /// <summary>dtype, rank, dims, then the raw element bytes (copied from a contiguous CPU view).</summary>
    public void Tensor(Tensor tensor)
    {
        U8((byte)TensorCodec.CheckedType(tensor.dtype));
        U8((byte)tensor.dim());
        foreach (long d in tensor.shape) I64(d);
        using Tensor cpu = tensor.detach().cpu().contiguous();
        _buffer.Write(cpu.bytes);
    }

    public byte[] ToFrame()
    {
        long payload = _buffer.Length;
        if (payload > int.MaxValue)
            throw new FrameFormatException($"Frame payload of {payload} bytes exceeds the 2 GiB frame limit.");
        byte[] frame = new byte[4 + payload];
        BinaryPrimitives.WriteInt32LittleEndian(frame, (int)payload);
        _buffer.Position = 0;
        _buffer.ReadExactly(frame, 4, (int)payload);
        return frame;
    }
}
