using static TorchSharp.torch;

namespace AsymML.Convolution;

/// <summary>Argument checks shared by the convolution functions. Every shape and dtype is checked here, in .NET,
/// before any tensor reaches compiled TorchScript: an error raised inside compiled code aborts the process.</summary>
internal static class ConvChecks
{
    internal static void Dims(Tensor t, int dims, string name, string layout)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.dim() != dims)
            throw new ArgumentException($"{name} must be {layout}; got {t.dim()} dimensions {Shape(t.shape)}.", name);
        if (t.numel() == 0)
            throw new ArgumentException($"{name} is empty {Shape(t.shape)}.", name);
    }

    internal static void ShapeArray(long[] shape, string name, string layout)
    {
        ArgumentNullException.ThrowIfNull(shape, name);
        if (shape.Length != 4 || shape.Any(s => s < 1 || s > int.MaxValue))
            throw new ArgumentException(
                $"{name} must be {layout} with every entry between 1 and {int.MaxValue}; got {Shape(shape)}.", name);
    }

    /// <summary>All tensors share the first one's floating dtype (float32 or float64) and device.</summary>
    internal static void SameKind(params (Tensor Tensor, string Name)[] tensors)
    {
        (Tensor first, string firstName) = tensors[0];
        if (first.dtype != ScalarType.Float32 && first.dtype != ScalarType.Float64)
            throw new ArgumentException($"{firstName} must be float32 or float64; got {first.dtype}.", firstName);
        foreach ((Tensor t, string name) in tensors.Skip(1))
        {
            if (t.dtype != first.dtype)
                throw new ArgumentException($"{name} is {t.dtype} but {firstName} is {first.dtype}; use one dtype.", name);
            if (t.device.ToString() != first.device.ToString())
                throw new ArgumentException($"{name} is on {t.device} but {firstName} is on {first.device}.", name);
        }
    }

    internal static void Equal(long actual, long expected, string name, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{name}: {what} is {actual} but must be {expected}.", name);
    }

    /// <summary>dY must be [B, M, Ho, Wo] with Ho, Wo as the geometry gives for the input and kernel.</summary>
    internal static void OutputGradient(Tensor dY, string name, long batch, long outChannels, long height, long width,
        long kernelH, long kernelW, ConvGeometry geometry)
    {
        (long ho, long wo) = geometry.OutputSize(height, width, kernelH, kernelW);
        long[] expected = [batch, outChannels, ho, wo];
        if (!dY.shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"{name} must be [B, M, Ho, Wo] = {Shape(expected)} for a {height}×{width} input, a {kernelH}×{kernelW} " +
                $"kernel and {geometry}; got {Shape(dY.shape)}.", name);
    }

    internal static void Geometry(ConvGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate(nameof(geometry));
    }

    internal static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
