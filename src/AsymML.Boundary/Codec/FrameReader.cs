using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>Reads little-endian fields from one frame payload, checking every length against what is left and
/// against <see cref="FrameLimits"/> before anything is allocated. The checks are the same whatever the
/// <see cref="FrameSource"/> (bytes in memory, a stream, an in-process <see cref="TensorFrame"/>).</summary>
internal sealed class FrameReader(FrameSource source, FrameLimits limits)
{
    private long Left => source.Left;

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > Left)
            throw new FrameFormatException($"Truncated frame: {field} needs {count} bytes, {Left} left.");
        return source.Take(count);
    }

    public byte U8(string field) => Take(1, field)[0];

    public bool Bool(string field) => U8(field) switch
    {
        0 => false,
        1 => true,
        byte b => throw new FrameFormatException($"{field}: {b} is not a boolean (0 or 1)."),
    };

    public int I32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

    public long I64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    public double F64(string field) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, field));

    public string String(string field)
    {
        int length = I32(field + " length");
        if (length < 0 || length > limits.MaxStringBytes)
            throw new FrameFormatException($"{field}: string length {length} outside 0..{limits.MaxStringBytes}.");
        return Encoding.UTF8.GetString(Take(length, field));
    }

    public int Count(string field)
    {
        int count = I32(field + " count");
        if (count < 0 || count > limits.MaxListCount)
            throw new FrameFormatException($"{field}: {count} entries outside 0..{limits.MaxListCount}.");
        return count;
    }

    public Tensor Tensor(string field)
    {
        byte typeCode = U8(field + " type");
        var type = (ScalarType)typeCode;
        int size = TensorCodec.ElementSize(type);
        if (size == 0)
            throw new FrameFormatException($"{field}: element type code {typeCode} may not cross the boundary.");
        int rank = U8(field + " rank");
        if (rank > limits.MaxRank)
            throw new FrameFormatException($"{field}: rank {rank} exceeds {limits.MaxRank}.");
        var shape = new long[rank];
        long bytes = size;
        for (int i = 0; i < rank; i++)
        {
            shape[i] = I64(field + " dimension");
            if (shape[i] < 0 || shape[i] > Left)
                throw new FrameFormatException($"{field}: dimension {i} = {shape[i]} is impossible with {Left} bytes left.");
            bytes = checked(bytes * Math.Max(shape[i], 1)) ;
            if (shape[i] == 0) bytes = 0;
            if (bytes > Left)
                throw new FrameFormatException($"Truncated frame: {field} of shape [{string.Join(", ", shape[..(i + 1)])}…] needs {bytes} bytes, {Left} left.");
        }
        if (bytes > Left) // rank 0: one element, not checked in the loop
            throw new FrameFormatException($"Truncated frame: {field} data needs {bytes} bytes, {Left} left.");
        return source.TensorData(type, shape, bytes); // every size checked against what is left before allocating
    }

    public void End(string what)
    {
        if (Left != 0)
            throw new FrameFormatException($"{what}: {Left} unexpected bytes after the last field.");
    }
}
