using System.Text.RegularExpressions;

namespace AsymML.Network;

/// <summary>
/// Standard networks as <see cref="NetworkSpec"/>s with torchvision's layer names. Names: <c>vgg11</c>, <c>vgg13</c>,
/// <c>vgg16</c>, <c>vgg19</c> (each also with <c>_bn</c>), <c>resnet18</c>, <c>resnet34</c> — torchvision's ImageNet
/// layout — each also with the suffix <c>-cifar</c> for small inputs (see <see cref="NetworkStem.Cifar"/>), and
/// <c>small-cnn</c> (a four-convolution BatchNorm CNN for 1×28×28 Fashion-MNIST). <c>-imagenet</c> is accepted as an
/// explicit suffix for the default layout. Any input channel count and class count.
/// </summary>
public static partial class ModelZoo
{
    /// <summary>The name of the small Fashion-MNIST CNN.</summary>
    public const string SmallCnnName = "small-cnn";

    /// <summary>Every name <see cref="Create"/> accepts (besides the <c>-imagenet</c> aliases).</summary>
    public static IReadOnlyList<string> Names { get; } = BuildNames();

    /// <summary>Creates the network called <paramref name="name"/> (case-insensitive; see <see cref="Names"/>).</summary>
    /// <param name="name">E.g. <c>vgg16_bn</c>, <c>resnet18-cifar</c>, <c>small-cnn</c>.</param>
    /// <param name="inputChannels">C of the input images.</param>
    /// <param name="classes">Number of logits.</param>
    /// <param name="imageSize">Side of the square input; only <c>small-cnn</c> depends on it (its flattened size).</param>
    /// <param name="dropout">Drop probability of the ImageNet VGG classifier.</param>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones) or bad sizes.</exception>
    public static NetworkSpec Create(string name, int inputChannels, int classes, int imageSize = 28, double dropout = 0.5)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string key = name.Trim().ToLowerInvariant();
        if (key == SmallCnnName)
            return SmallCnn(inputChannels, classes, imageSize);
        Match match = NamePattern().Match(key);
        if (!match.Success)
            throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)} (the suffix -imagenet may be given explicitly).", nameof(name));
        NetworkStem stem = match.Groups["stem"].Value == "cifar" ? NetworkStem.Cifar : NetworkStem.ImageNet;
        return match.Groups["vgg"].Success
            ? Vgg(int.Parse(match.Groups["vgg"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["bn"].Success, stem, inputChannels, classes, dropout)
            : ResNet(int.Parse(match.Groups["resnet"].Value, System.Globalization.CultureInfo.InvariantCulture), stem, inputChannels, classes);
    }

    /// <summary>VGG-<paramref name="depth"/> (11, 13, 16, 19), with BatchNorm after every convolution when
    /// <paramref name="batchNorm"/>; named like the zoo (<c>vgg16_bn-cifar</c>).</summary>
    public static NetworkSpec Vgg(int depth, bool batchNorm, NetworkStem stem, int inputChannels = 3, int classes = 1000, double dropout = 0.5)
    {
        CheckSizes(inputChannels, classes);
        string name = $"vgg{depth}{(batchNorm ? "_bn" : "")}{Suffix(stem)}";
        return VggFactory.Create(name, depth, batchNorm, stem, inputChannels, classes, dropout);
    }

    /// <summary>ResNet-<paramref name="depth"/> (18, 34); named like the zoo (<c>resnet18-cifar</c>).</summary>
    public static NetworkSpec ResNet(int depth, NetworkStem stem, int inputChannels = 3, int classes = 1000)
    {
        CheckSizes(inputChannels, classes);
        return ResNetFactory.Create($"resnet{depth}{Suffix(stem)}", depth, stem, inputChannels, classes);
    }

    /// <summary>
    /// The small default CNN for Fashion-MNIST: <c>features</c> = conv3×3(32)-BN-ReLU, conv3×3(32)-BN-ReLU, max-pool 2,
    /// conv3×3(64)-BN-ReLU, conv3×3(64)-BN-ReLU, max-pool 2 (convolutions without bias, BatchNorm follows), then
    /// <c>flatten</c> and <c>classifier</c> = Linear(64·(s/4)², classes); 3136 inputs for s = 28.
    /// </summary>
    public static NetworkSpec SmallCnn(int inputChannels = 1, int classes = 10, int imageSize = 28)
    {
        CheckSizes(inputChannels, classes);
        if (imageSize < 4)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "small-cnn needs images of at least 4×4 (two 2×2 max-pools).");
        var layers = new List<Layer>();
        int channels = inputChannels, index = 0;
        foreach (int width in (int[])[32, 32, 0, 64, 64, 0])
        {
            if (width == 0)
            {
                layers.Add(new MaxPool2dLayer($"features.{index++}", 2, 2));
                continue;
            }
            layers.Add(Conv2dLayer.Square($"features.{index++}", channels, width, 3, stride: 1, padding: 1, hasBias: false));
            layers.Add(new BatchNorm2dLayer($"features.{index++}", width));
            layers.Add(new ReLULayer($"features.{index++}"));
            channels = width;
        }
        int side = imageSize / 4;
        layers.Add(new FlattenLayer("flatten"));
        layers.Add(new LinearLayer("classifier", channels * side * side, classes));
        return new NetworkSpec(SmallCnnName, inputChannels, layers);
    }

    private static string Suffix(NetworkStem stem) => stem == NetworkStem.Cifar ? "-cifar" : "";

    private static void CheckSizes(int inputChannels, int classes)
    {
        if (inputChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "Input channels must be positive.");
        if (classes <= 0)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "The class count must be positive.");
    }

    private static string[] BuildNames()
    {
        var names = new List<string>();
        foreach (string stem in (string[])["", "-cifar"])
        {
            foreach (int depth in VggFactory.Depths)
            {
                names.Add($"vgg{depth}{stem}");
                names.Add($"vgg{depth}_bn{stem}");
            }
            names.AddRange(ResNetFactory.Depths.Select(depth => $"resnet{depth}{stem}"));
        }
        names.Add(SmallCnnName);
        return [.. names];
    }

    [GeneratedRegex(@"^(?:vgg(?<vgg>11|13|16|19)(?<bn>_bn)?|resnet(?<resnet>18|34))(?:-(?<stem>cifar|imagenet))?$")]
    private static partial Regex NamePattern();
}
