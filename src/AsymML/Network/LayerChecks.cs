using System.Globalization;

namespace AsymML.Network;

/// <summary>Argument checks and size formulas shared by the layer records.</summary>
internal static class LayerChecks
{
    public static string ValidPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Split('.').Any(segment => segment.Length == 0 || segment.Any(char.IsWhiteSpace)))
            throw new ArgumentException($"Layer path '{path}' is not a dotted module path such as 'features.0' or 'layer1.0.conv1'.", nameof(path));
        return path;
    }

    public static int Positive(int value, string path, string what) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(what, value, $"Layer '{path}': {what} must be positive, got {value}.");

    public static int NonNegative(int value, string path, string what) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(what, value, $"Layer '{path}': {what} must be zero or positive, got {value}.");

    /// <summary>PyTorch's convolution output size: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1.</summary>
    public static int ConvOutput(int size, int kernel, int stride, int padding, int dilation) =>
        Floor(size + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;

    /// <summary>PyTorch's pooling output size, including ceil mode's rule that the last window must start
    /// inside the input or its left padding.</summary>
    public static int PoolOutput(int size, int kernel, int stride, int padding, bool ceilMode)
    {
        int numerator = size + 2 * padding - kernel;
        if (numerator < 0) return 0;
        int output = (ceilMode ? Floor(numerator + stride - 1, stride) : Floor(numerator, stride)) + 1;
        if (ceilMode && (output - 1) * stride >= size + padding)
            output--;
        return output;
    }

    public static string Size(int height, int width) => height == width
        ? height.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{height}×{width}");

    private static int Floor(int numerator, int denominator) => (int)Math.Floor(numerator / (double)denominator);
}
