using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>Writes little-endian fields of one frame payload to a <see cref="FrameSink"/>: the same calls size a
/// frame, fill a byte array, stream it, or hand its tensors over as copies, so the field layout is written once
/// (in <see cref="FrameCodec"/>'s per-kind switch).</summary>
internal sealed class FrameWriter(FrameSink sink)
{
    public void U8(byte value) => sink.Write([value]);

    public void Bool(bool value) => U8(value ? (byte)1 : (byte)0);

    public void I32(int value)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(field, value);
        sink.Write(field);
    }

    public void I64(long value)
    {
        Span<byte> field = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(field, value);
        sink.Write(field);
    }

    public void F64(double value)
    {
        Span<byte> field = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(field, value);
        sink.Write(field);
    }

    public void String(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        I32(bytes.Length);
        sink.Write(bytes);
    }

    /// <summary>dtype, rank, dims, then the raw element bytes (row-major, as a contiguous CPU copy would hold them).</summary>
    public void Tensor(Tensor tensor)
    {
        ScalarType type = TensorCodec.CheckedType(tensor.dtype);
        long[] shape = tensor.shape;
        if (shape.Length > byte.MaxValue)
            throw new FrameFormatException($"A tensor of rank {shape.Length} cannot be encoded (at most {byte.MaxValue} dimensions).");
        U8((byte)type);
        U8((byte)shape.Length);
        foreach (long d in shape) I64(d);
        sink.TensorData(tensor, checked(tensor.numel() * TensorCodec.ElementSize(type)));
    }
}
