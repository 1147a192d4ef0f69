using TorchSharp;
using static TorchSharp.torch;
using M = TorchSharp.Modules;

namespace AsymML.Network;

/// <summary>
/// Describes an existing TorchSharp model as a <see cref="NetworkSpec"/> (plus its weights): a <c>Sequential</c>
/// (children in order; nested Sequentials give paths such as <c>0.1</c>), torchvision's <c>VGG</c>
/// (<c>features</c>, <c>avgpool</c>, an implicit flatten, <c>classifier</c>) and <c>ResNet</c> with BasicBlocks
/// (residual topology taken from torchvision's forward), or a <see cref="ReferenceNetwork"/>. Any other module, or
/// a supported one in a configuration the engine cannot split, gives an <see cref="UnsupportedModuleException"/>
/// that names its path and type.
/// </summary>
public static class NetworkImporter
{
    private static readonly string[] ResNetChildren = ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "flatten", "fc"];

    /// <summary>The description and a copy of the weights of <paramref name="module"/>.</summary>
    /// <param name="module">The model; it is only read.</param>
    /// <param name="name">Spec name; default: <c>vgg11_bn</c>/<c>resnet18</c>-style for torchvision models, else the module's name.</param>
    /// <param name="inputChannels">C of the input; default: the first convolution's (or BatchNorm's) channel count.</param>
    /// <param name="copyWeights">False: the weights alias the module's tensors instead of copying them (no memory is
    /// allocated, which matters for VGG's 0.5 GB; they then follow the module's later updates).</param>
    /// <exception cref="UnsupportedModuleException">A module cannot be split.</exception>
    public static ImportedNetwork Import(nn.Module module, string? name = null, int? inputChannels = null, bool copyWeights = true)
    {
        NetworkSpec spec = ImportSpec(module, name, inputChannels);
        using StateDict all = StateDict.FromModule(module, copyWeights);
        return new ImportedNetwork(spec, all.MoveToSpecOrder(spec));
    }

    /// <summary>The description of <paramref name="module"/> without its weights (see <see cref="Import"/>).</summary>
    public static NetworkSpec ImportSpec(nn.Module module, string? name = null, int? inputChannels = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is ReferenceNetwork reference)
            return reference.Spec;
        if (module is not (M.Sequential or M.VGG or M.ResNet))
            throw LeafImporter.Unsupported(module, "", "only a Sequential, a torchvision VGG or ResNet, or a ReferenceNetwork can be imported as a network");
        var layers = new List<Layer>();
        Walk(module, "", layers);
        if (layers.Count == 0)
            throw LeafImporter.Unsupported(module, "", "it has no layers");
        var spec = new NetworkSpec(name ?? DefaultName(module, layers), 1, layers);
        int firstChannels = spec.AllLayers().Select(l => l switch
        {
            Conv2dLayer c => c.InChannels,
            BatchNorm2dLayer b => b.Channels,
            LinearLayer => -1,
            _ => 0,
        }).FirstOrDefault(c => c != 0);
        if (inputChannels is int given)
        {
            if (firstChannels > 0 && firstChannels != given)
                throw new ArgumentException($"The model's first layer takes {firstChannels} channels, not {given}.", nameof(inputChannels));
            firstChannels = given;
        }
        else if (firstChannels <= 0)
        {
            throw new ArgumentException("Cannot tell the input channel count: no convolution or BatchNorm comes before the first Linear. Pass inputChannels.", nameof(inputChannels));
        }
        return new NetworkSpec(spec.Name, firstChannels, spec.Layers);
    }

    private static void Walk(nn.Module module, string path, List<Layer> output)
    {
        switch (module)
        {
            case M.Sequential sequential:
                foreach (var (childName, child) in sequential.named_children())
                    Walk(child, Join(path, childName), output);
                break;
            case M.VGG vgg:
                Dictionary<string, nn.Module> parts = Children(vgg, path, "features", "avgpool", "classifier");
                Walk(parts["features"], Join(path, "features"), output);
                Walk(parts["avgpool"], Join(path, "avgpool"), output);
                output.Add(new FlattenLayer(Join(path, "flatten"))); // torchvision's VGG.forward flattens between them
                Walk(parts["classifier"], Join(path, "classifier"), output);
                break;
            case M.ResNet resnet:
                Dictionary<string, nn.Module> children = Children(resnet, path, ResNetChildren);
                foreach (string child in ResNetChildren)
                    Walk(children[child], Join(path, child), output);
                break;
            case var _ when IsTorchVisionBlock(module, "BasicBlock"):
                output.Add(BasicBlock(module, path));
                break;
            default:
                if (path.Length == 0)
                    throw LeafImporter.Unsupported(module, path, "a single layer is not a network; wrap it in a Sequential");
                output.Add(LeafImporter.Convert(module, path));
                break;
        }
    }

    /// <summary>torchvision's BasicBlock: <c>relu(bn2(conv2(relu1(bn1(conv1(x))))) + downsample(x))</c>.</summary>
    private static ResidualBlock BasicBlock(nn.Module block, string path)
    {
        Dictionary<string, nn.Module> children = block.named_children().ToDictionary(c => c.name, c => c.module);
        string[] body = ["conv1", "bn1", "relu1", "conv2", "bn2"];
        string[] expected = children.ContainsKey("downsample") ? [.. body, "downsample"] : body;
        if (!children.Keys.Order().SequenceEqual(expected.Order()))
            throw LeafImporter.Unsupported(block, path, $"a BasicBlock with children {string.Join(", ", children.Keys)} instead of {string.Join(", ", expected)}");
        var shortcut = new List<Layer>();
        if (children.TryGetValue("downsample", out nn.Module? downsample))
            Walk(downsample, Join(path, "downsample"), shortcut);
        if (shortcut.OfType<ResidualBlock>().Any())
            throw LeafImporter.Unsupported(downsample!, Join(path, "downsample"), "a residual block inside a shortcut");
        return new ResidualBlock(path, body.Select(child => LeafImporter.Convert(children[child], Join(path, child))), shortcut);
    }

    private static Dictionary<string, nn.Module> Children(nn.Module module, string path, params string[] names)
    {
        Dictionary<string, nn.Module> children = module.named_children().ToDictionary(c => c.name, c => c.module);
        if (!children.Keys.Order().SequenceEqual(names.Order()))
            throw LeafImporter.Unsupported(module, path, $"children {string.Join(", ", children.Keys)} instead of torchvision's {string.Join(", ", names)}");
        return children;
    }

    private static bool IsTorchVisionBlock(nn.Module module, string name) =>
        module.GetType().Name == name && module.GetType().DeclaringType == typeof(M.ResNet);

    private static string DefaultName(nn.Module module, List<Layer> layers) => module switch
    {
        M.VGG => module.GetName().ToLowerInvariant() + (layers.Any(l => l is BatchNorm2dLayer) ? "_bn" : ""),
        _ => module.GetName().ToLowerInvariant(),
    };

    private static string Join(string path, string child) => path.Length == 0 ? child : $"{path}.{child}";
}
