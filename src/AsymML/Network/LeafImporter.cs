using TorchSharp;
using static TorchSharp.torch;
using M = TorchSharp.Modules;

namespace AsymML.Network;

/// <summary>Turns one TorchSharp leaf module into a layer record, or explains why it cannot.</summary>
internal static class LeafImporter
{
    public static Layer Convert(nn.Module module, string path) => module switch
    {
        M.Conv2d conv => Conv(conv, path),
        M.BatchNorm2d bn => BatchNorm(bn, path),
        M.ReLU => new ReLULayer(path),
        M.MaxPool2d pool => MaxPool(pool, path),
        M.AvgPool2d pool => AvgPool(pool, path),
        M.AdaptiveAvgPool2d pool => Adaptive(pool, path),
        M.Flatten flatten => Flatten(flatten, path),
        M.Linear linear => new LinearLayer(path, Int(linear.in_features, module, path), Int(linear.out_features, module, path), linear.bias is not null),
        M.Dropout dropout => new DropoutLayer(path, dropout.p),
        _ => throw Unsupported(module, path, "this module type cannot be split (no rule for it in the split engine)"),
    };

    public static UnsupportedModuleException Unsupported(nn.Module module, string path, string reason) =>
        new(path.Length == 0 ? "(root)" : path, module.GetType().FullName ?? module.GetType().Name, reason);

    private static Conv2dLayer Conv(M.Conv2d conv, string path)
    {
        if (conv.groups != 1)
            throw Unsupported(conv, path, $"grouped convolution (groups = {conv.groups})");
        if (conv.dilation.Any(d => d != 1))
            throw Unsupported(conv, path, $"dilated convolution (dilation {string.Join("×", conv.dilation)})");
        if (conv.padding_mode != PaddingModes.Zeros)
            throw Unsupported(conv, path, $"padding mode {conv.padding_mode} (only zero padding)");
        long[] kernel = Pair(conv.kernel_size, conv, path, "kernel size");
        long[] stride = Pair(conv.stride, conv, path, "stride");
        long[] padding = conv.padding_type switch
        {
            Padding.Valid => [0, 0],
            Padding.Same when kernel.All(k => k % 2 == 1) => [.. kernel.Select(k => (k - 1) / 2)],
            Padding.Same => throw Unsupported(conv, path, "'same' padding with an even kernel (asymmetric padding)"),
            _ => Pair(conv.padding, conv, path, "padding"),
        };
        return new Conv2dLayer(path, Int(conv.in_channels, conv, path), Int(conv.out_channels, conv, path),
            Int(kernel[0], conv, path), Int(kernel[1], conv, path), Int(stride[0], conv, path), Int(stride[1], conv, path),
            Int(padding[0], conv, path), Int(padding[1], conv, path), conv.bias is not null);
    }

    private static BatchNorm2dLayer BatchNorm(M.BatchNorm2d bn, string path)
    {
        if (!bn.track_running_stats)
            throw Unsupported(bn, path, "BatchNorm without running statistics (track_running_stats = false)");
        if (bn.momentum is not double momentum)
            throw Unsupported(bn, path, "BatchNorm with a cumulative average (momentum = null)");
        return new BatchNorm2dLayer(path, Int(bn.num_features, bn, path), bn.eps, momentum, bn.affine);
    }

    private static MaxPool2dLayer MaxPool(M.MaxPool2d pool, string path)
    {
        if (pool.dilation is { } dilation && dilation.Any(d => d != 1))
            throw Unsupported(pool, path, "dilated max-pooling");
        var (kernel, stride, padding) = SquareWindow(pool, path, pool.kernel_size, pool.stride, pool.padding);
        return new MaxPool2dLayer(path, kernel, stride, padding, pool.ceil_mode);
    }

    private static AvgPool2dLayer AvgPool(M.AvgPool2d pool, string path)
    {
        if (pool.divisor_override is not null)
            throw Unsupported(pool, path, "average pooling with a divisor override");
        var (kernel, stride, padding) = SquareWindow(pool, path, pool.kernel_size, pool.stride, pool.padding);
        return new AvgPool2dLayer(path, kernel, stride, padding, pool.ceil_mode, pool.count_include_pad);
    }

    private static AdaptiveAvgPool2dLayer Adaptive(M.AdaptiveAvgPool2d pool, string path)
    {
        long[] size = pool.output_size.Length == 1 ? [pool.output_size[0], pool.output_size[0]] : Pair(pool.output_size, pool, path, "output size");
        return new AdaptiveAvgPool2dLayer(path, Int(size[0], pool, path), Int(size[1], pool, path));
    }

    private static FlattenLayer Flatten(M.Flatten flatten, string path) =>
        flatten.start_dim == 1 && flatten.end_dim == -1
            ? new FlattenLayer(path)
            : throw Unsupported(flatten, path, $"flatten from dimension {flatten.start_dim} to {flatten.end_dim} (only 1 to −1, one vector per sample)");

    private static (int Kernel, int Stride, int Padding) SquareWindow(nn.Module pool, string path, long[] kernel, long[]? stride, long[]? padding)
    {
        long[] k = Pair(kernel, pool, path, "kernel size");
        long[] s = stride is null || stride.Length == 0 ? k : Pair(stride, pool, path, "stride");
        long[] p = padding is null || padding.Length == 0 ? [0, 0] : Pair(padding, pool, path, "padding");
        if (k[0] != k[1] || s[0] != s[1] || p[0] != p[1])
            throw Unsupported(pool, path, $"non-square pooling (kernel {k[0]}×{k[1]}, stride {s[0]}×{s[1]}, padding {p[0]}×{p[1]})");
        return (Int(k[0], pool, path), Int(s[0], pool, path), Int(p[0], pool, path));
    }

    private static long[] Pair(long[]? values, nn.Module module, string path, string what) => values switch
    {
        [long a] => [a, a],
        [long a, long b] => [a, b],
        _ => throw Unsupported(module, path, $"its {what} is not one or two numbers"),
    };

    private static int Int(long value, nn.Module module, string path) =>
        value is >= 0 and <= int.MaxValue ? (int)value : throw Unsupported(module, path, $"a size of {value} is out of range");
}
