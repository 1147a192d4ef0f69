namespace AsymML.Network;

/// <summary>ResNet-18/34 (BasicBlock) with torchvision's layer names.</summary>
internal static class ResNetFactory
{
    private static readonly Dictionary<int, int[]> Blocks = new()
    {
        [18] = [2, 2, 2, 2],
        [34] = [3, 4, 6, 3],
    };

    public static IReadOnlyCollection<int> Depths => Blocks.Keys;

    public static NetworkSpec Create(string name, int depth, NetworkStem stem, int inputChannels, int classes)
    {
        if (!Blocks.TryGetValue(depth, out int[]? blocks))
            throw new ArgumentException($"ResNet depth {depth} is not one of {string.Join(", ", Blocks.Keys)} (only BasicBlock ResNets are built).", nameof(depth));
        var layers = new List<Layer>();
        if (stem == NetworkStem.ImageNet)
            layers.Add(Conv2dLayer.Square("conv1", inputChannels, 64, 7, stride: 2, padding: 3, hasBias: false));
        else
            layers.Add(Conv2dLayer.Square("conv1", inputChannels, 64, 3, stride: 1, padding: 1, hasBias: false));
        layers.Add(new BatchNorm2dLayer("bn1", 64));
        layers.Add(new ReLULayer("relu"));
        if (stem == NetworkStem.ImageNet)
            layers.Add(new MaxPool2dLayer("maxpool", 3, 2, 1));
        int channels = 64;
        for (int group = 0; group < blocks.Length; group++)
        {
            int width = 64 << group;
            for (int block = 0; block < blocks[group]; block++)
            {
                int stride = group > 0 && block == 0 ? 2 : 1;
                layers.Add(BasicBlock($"layer{group + 1}.{block}", channels, width, stride));
                channels = width;
            }
        }
        layers.Add(new AdaptiveAvgPool2dLayer("avgpool", 1, 1));
        layers.Add(new FlattenLayer("flatten"));
        layers.Add(new LinearLayer("fc", channels, classes));
        return new NetworkSpec(name, inputChannels, layers);
    }

    /// <summary>torchvision's BasicBlock: conv3×3(stride)-bn-relu-conv3×3-bn, plus a 1×1 projection with BatchNorm
    /// (<c>downsample.0</c>, <c>downsample.1</c>) when the stride or the width changes.</summary>
    public static ResidualBlock BasicBlock(string path, int inChannels, int width, int stride)
    {
        Layer[] body =
        [
            Conv2dLayer.Square($"{path}.conv1", inChannels, width, 3, stride, 1, hasBias: false),
            new BatchNorm2dLayer($"{path}.bn1", width),
            new ReLULayer($"{path}.relu1"),
            Conv2dLayer.Square($"{path}.conv2", width, width, 3, 1, 1, hasBias: false),
            new BatchNorm2dLayer($"{path}.bn2", width),
        ];
        Layer[] shortcut = stride != 1 || inChannels != width
            ? [Conv2dLayer.Square($"{path}.downsample.0", inChannels, width, 1, stride, 0, hasBias: false), new BatchNorm2dLayer($"{path}.downsample.1", width)]
            : [];
        return new ResidualBlock(path, body, shortcut);
    }
}
