namespace AsymML.Network;

/// <summary>VGG-11/13/16/19 with torchvision's layer names.</summary>
internal static class VggFactory
{
    /// <summary>Output channels of each 3×3 convolution; 0 marks a 2×2/2 max-pool (torchvision's configurations A, B, D, E).</summary>
    private static readonly Dictionary<int, int[]> Configs = new()
    {
        [11] = [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
        [13] = [64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
        [16] = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0],
        [19] = [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0],
    };

    public static IReadOnlyCollection<int> Depths => Configs.Keys;

    public static NetworkSpec Create(string name, int depth, bool batchNorm, NetworkStem stem, int inputChannels, int classes, double dropout)
    {
        if (!Configs.TryGetValue(depth, out int[]? config))
            throw new ArgumentException($"VGG depth {depth} is not one of {string.Join(", ", Configs.Keys)}.", nameof(depth));
        var layers = new List<Layer>();
        int channels = inputChannels, index = 0;
        foreach (int width in config)
        {
            if (width == 0)
            {
                layers.Add(new MaxPool2dLayer($"features.{index++}", 2, 2));
                continue;
            }
            layers.Add(Conv2dLayer.Square($"features.{index++}", channels, width, 3, stride: 1, padding: 1, hasBias: true));
            if (batchNorm)
                layers.Add(new BatchNorm2dLayer($"features.{index++}", width));
            layers.Add(new ReLULayer($"features.{index++}"));
            channels = width;
        }
        if (stem == NetworkStem.ImageNet)
        {
            layers.Add(new AdaptiveAvgPool2dLayer("avgpool", 7, 7));
            layers.Add(new FlattenLayer("flatten"));
            layers.Add(new LinearLayer("classifier.0", 512 * 7 * 7, 4096));
            layers.Add(new ReLULayer("classifier.1"));
            layers.Add(new DropoutLayer("classifier.2", dropout));
            layers.Add(new LinearLayer("classifier.3", 4096, 4096));
            layers.Add(new ReLULayer("classifier.4"));
            layers.Add(new DropoutLayer("classifier.5", dropout));
            layers.Add(new LinearLayer("classifier.6", 4096, classes));
        }
        else
        {
            layers.Add(new AdaptiveAvgPool2dLayer("avgpool", 1, 1));
            layers.Add(new FlattenLayer("flatten"));
            layers.Add(new LinearLayer("classifier", 512, classes));
        }
        return new NetworkSpec(name, inputChannels, layers);
    }
}
