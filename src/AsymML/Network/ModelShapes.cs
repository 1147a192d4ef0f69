using AsymML.Decomposition;

namespace AsymML.Network;

/// <summary>
/// Convolution shapes of the standard VGG and ResNet networks (torchvision's layer names), for rank policies and
/// cost estimates before a model is built. Stages follow the paper's schedule: one per convolution in VGG, one per
/// residual block in ResNet (the stem is stage 0).
/// </summary>
public static class ModelShapes
{
    private static readonly Dictionary<int, int[]> VggConfigs = new()
    {
        // Channel counts; 0 marks a 2×2 max-pool.
        [11] = [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
        [13] = [64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
        [16] = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0],
        [19] = [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0],
    };

    private static readonly Dictionary<int, int[]> ResNetBlocks = new()
    {
        [18] = [2, 2, 2, 2],
        [34] = [3, 4, 6, 3],
    };

    /// <summary>The 3×3 convolutions of VGG-<paramref name="depth"/> (11, 13, 16, 19) on
    /// <paramref name="inputChannels"/> × <paramref name="size"/> × <paramref name="size"/> images.
    /// Names are torchvision's (<c>features.i</c>; with BatchNorm the indices differ, see <paramref name="batchNorm"/>).</summary>
    public static IReadOnlyList<ConvLayerShape> Vgg(int depth, int inputChannels = 3, int size = 224, bool batchNorm = false)
    {
        if (!VggConfigs.TryGetValue(depth, out int[]? config))
            throw new ArgumentException($"VGG depth {depth} is not one of 11, 13, 16, 19.", nameof(depth));
        var layers = new List<ConvLayerShape>();
        int channels = inputChannels, map = size, index = 0, stage = 0;
        foreach (int entry in config)
        {
            if (entry == 0)
            {
                map /= 2;
                index++;
                continue;
            }
            layers.Add(new ConvLayerShape($"features.{index}", channels, entry, 3, 1, 1, map, map, stage++));
            channels = entry;
            index += batchNorm ? 3 : 2; // conv, (bn,) relu
        }
        return layers;
    }

    /// <summary>The convolutions of ResNet-<paramref name="depth"/> (18, 34) with an ImageNet stem (7×7/2 conv and
    /// 3×3/2 max-pool) or a CIFAR stem (3×3/1 conv, no pool), including 1×1 projection shortcuts.</summary>
    public static IReadOnlyList<ConvLayerShape> ResNet(int depth, int inputChannels = 3, int size = 224, bool cifarStem = false)
    {
        if (!ResNetBlocks.TryGetValue(depth, out int[]? blocks))
            throw new ArgumentException($"ResNet depth {depth} is not one of 18, 34.", nameof(depth));
        var layers = new List<ConvLayerShape>();
        int map = size;
        if (cifarStem)
        {
            layers.Add(new ConvLayerShape("conv1", inputChannels, 64, 3, 1, 1, map, map, 0));
        }
        else
        {
            var stem = new ConvLayerShape("conv1", inputChannels, 64, 7, 2, 3, map, map, 0);
            layers.Add(stem);
            map = (stem.OutHeight + 2 - 3) / 2 + 1; // max-pool 3×3, stride 2, padding 1
        }
        int channels = 64, stage = 0;
        for (int group = 0; group < blocks.Length; group++)
        {
            int width = 64 << group;
            for (int block = 0; block < blocks[group]; block++)
            {
                stage++;
                int stride = group > 0 && block == 0 ? 2 : 1;
                string prefix = $"layer{group + 1}.{block}";
                var first = new ConvLayerShape($"{prefix}.conv1", channels, width, 3, stride, 1, map, map, stage);
                layers.Add(first);
                if (stride != 1 || channels != width)
                    layers.Add(new ConvLayerShape($"{prefix}.downsample.0", channels, width, 1, stride, 0, map, map, stage));
                map = first.OutHeight;
                layers.Add(new ConvLayerShape($"{prefix}.conv2", width, width, 3, 1, 1, map, map, stage));
                channels = width;
            }
        }
        return layers;
    }
}
