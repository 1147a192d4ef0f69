using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>The element types allowed to cross, and their sizes.</summary>
internal static class TensorCodec
{
    public static ScalarType CheckedType(ScalarType type) => ElementSize(type) > 0
        ? type
        : throw new FrameFormatException($"Tensors of type {type} may not cross the boundary (allowed: float32, float64, int64, uint8, bool).");

    public static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float32 => 4,
        ScalarType.Float64 => 8,
        ScalarType.Int64 => 8,
        ScalarType.Byte => 1,
        ScalarType.Bool => 1,
        _ => 0,
    };
}
