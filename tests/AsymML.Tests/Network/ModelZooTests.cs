using AsymML.Decomposition;
using AsymML.Network;

namespace AsymML.Tests.Network;

public class ModelZooTests
{
    public static TheoryData<string> ZooNames() => [.. ModelZoo.Names];

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void EveryModelMapsItsInputToLogits(string name)
    {
        int channels = name == ModelZoo.SmallCnnName ? 1 : 3;
        int size = name == ModelZoo.SmallCnnName ? 28 : name.EndsWith("-cifar", StringComparison.Ordinal) ? 32 : 224;
        NetworkSpec spec = ModelZoo.Create(name, channels, 10);
        Assert.Equal(name, spec.Name);
        Assert.Equal(ActivationShape.Vector(10), spec.OutputShape(size, size));
        IReadOnlyList<LayerShape> shapes = spec.InferShapes(size, size);
        Assert.Equal(spec.AllLayers().Count(), shapes.Count);
        Assert.Equal(ActivationShape.Vector(10), shapes[^1].Output);
        // Any input channel count and class count.
        Assert.Equal(ActivationShape.Vector(7), ModelZoo.Create(name, 5, 7).OutputShape(size, size));
    }

    [Fact]
    public void KeyShapesAreTorchvisions()
    {
        Assert.Equal(ActivationShape.Vector(10), ModelZoo.Create("vgg16-cifar", 3, 10).OutputShape(32, 32));
        Assert.Equal(ActivationShape.Vector(1000), ModelZoo.Create("resnet18", 3, 1000).OutputShape(224, 224));

        var resnet = ModelZoo.Create("resnet18", 3, 1000).InferShapes(224, 224).ToDictionary(s => s.Layer.Path);
        Assert.Equal(ActivationShape.Map(64, 112, 112), resnet["conv1"].Output);
        Assert.Equal(ActivationShape.Map(64, 56, 56), resnet["maxpool"].Output);
        Assert.Equal(ActivationShape.Map(128, 28, 28), resnet["layer2.0"].Output);
        Assert.Equal(ActivationShape.Map(512, 7, 7), resnet["layer4.1"].Output);
        Assert.Equal(ActivationShape.Vector(512), resnet["flatten"].Output);

        var cifar = ModelZoo.Create("resnet18-cifar", 3, 10).InferShapes(32, 32).ToDictionary(s => s.Layer.Path);
        Assert.Equal(ActivationShape.Map(64, 32, 32), cifar["layer1.1"].Output);
        Assert.Equal(ActivationShape.Map(512, 4, 4), cifar["layer4.1.conv2"].Output);

        var vgg = ModelZoo.Create("vgg16", 3, 1000).InferShapes(224, 224).ToDictionary(s => s.Layer.Path);
        Assert.Equal(ActivationShape.Map(512, 7, 7), vgg["features.30"].Output);
        Assert.Equal(ActivationShape.Vector(25088), vgg["flatten"].Output);

        NetworkSpec small = ModelZoo.Create("small-cnn", 1, 10);
        Assert.Equal(4, small.AllLayers().OfType<Conv2dLayer>().Count());
        Assert.Equal(ActivationShape.Vector(64 * 7 * 7), small.InferShapes(28, 28).Single(s => s.Layer.Path == "flatten").Output);
    }

    [Fact]
    public void ParameterCountsMatchTorchvision()
    {
        // Published torchvision figures.
        Assert.Equal(11_689_512, ModelZoo.Create("resnet18", 3, 1000).TrainableParameterCount);
        Assert.Equal(21_797_672, ModelZoo.Create("resnet34", 3, 1000).TrainableParameterCount);
        Assert.Equal(138_357_544, ModelZoo.Create("vgg16", 3, 1000).TrainableParameterCount);
        Assert.Equal(143_678_248, ModelZoo.Create("vgg19_bn", 3, 1000).TrainableParameterCount);
    }

    [Fact]
    public void Vgg16StagesCountConvolutions()
    {
        IReadOnlyList<ConvLayerShape> convs = ModelZoo.Create("vgg16", 3, 1000).Convolutions(224, 224);
        Assert.Equal(Enumerable.Range(0, 13), convs.Select(c => c.Stage));
        Assert.Equal("features.0", convs[0].Name);
        Assert.Equal("features.28", convs[^1].Name);
        Assert.Equal(new ConvLayerShape("features.2", 64, 64, 3, 1, 1, 224, 224, 1), convs[1]);
        Assert.Equal(14, convs[^1].InHeight);
        Assert.Equal("features.40", ModelZoo.Create("vgg16_bn-cifar", 3, 10).Convolutions(32, 32)[^1].Name);
    }

    [Fact]
    public void ResNet18StagesCountBlocksAndProjectionsShareThem()
    {
        var convs = ModelZoo.Create("resnet18", 3, 1000).Convolutions(224, 224);
        Assert.Equal(20, convs.Count);
        var byName = convs.ToDictionary(c => c.Name);
        Assert.Equal(new ConvLayerShape("conv1", 3, 64, 7, 2, 3, 224, 224, 0), byName["conv1"]);
        string[] blocks = ["layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1"];
        for (int i = 0; i < blocks.Length; i++)
        {
            Assert.Equal(i + 1, byName[blocks[i] + ".conv1"].Stage);
            Assert.Equal(i + 1, byName[blocks[i] + ".conv2"].Stage);
        }
        Assert.Equal(3, byName["layer2.0.downsample.0"].Stage);
        Assert.Equal(new ConvLayerShape("layer4.0.downsample.0", 256, 512, 1, 2, 0, 14, 14, 7), byName["layer4.0.downsample.0"]);
        Assert.Equal(["layer2.0.conv1", "layer2.0.conv2", "layer2.0.downsample.0"], convs.Where(c => c.Stage == 3).Select(c => c.Name));
        Assert.DoesNotContain(convs, c => c.Name.StartsWith("layer1.0.downsample", StringComparison.Ordinal));
    }

    [Fact]
    public void NamesAreCaseInsensitiveAndUnknownNamesListTheKnownOnes()
    {
        Assert.Equal(ModelZoo.Create("resnet18", 3, 10), ModelZoo.Create("ResNet18-ImageNet", 3, 10));
        Assert.Equal(ModelZoo.Vgg(13, true, NetworkStem.Cifar, 3, 100), ModelZoo.Create("vgg13_bn-cifar", 3, 100));
        var error = Assert.Throws<ArgumentException>(() => ModelZoo.Create("resnet50", 3, 10));
        Assert.Contains("'resnet50'", error.Message);
        Assert.Contains("vgg16_bn-cifar", error.Message);
        Assert.Contains("small-cnn", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelZoo.Create("vgg11", 3, 0));
        Assert.Equal(21, ModelZoo.Names.Count); // 2 stems × (8 VGG + 2 ResNet) + small-cnn
    }

    [Fact]
    public void CifarVggEndsInOneLinearOverPooledFeatures()
    {
        NetworkSpec spec = ModelZoo.Create("vgg11-cifar", 3, 10);
        Assert.Equal(
            [new AdaptiveAvgPool2dLayer("avgpool", 1, 1), new FlattenLayer("flatten"), new LinearLayer("classifier", 512, 10)],
            spec.Layers.TakeLast(3));
        // The adaptive pool makes the head independent of the input size.
        Assert.Equal(ActivationShape.Vector(10), spec.OutputShape(96, 64));
    }
}
