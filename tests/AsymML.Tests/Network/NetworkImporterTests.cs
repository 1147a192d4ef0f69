using AsymML.Network;
using static AsymML.Tests.Network.NetworkTestUtil;

namespace AsymML.Tests.Network;

public class NetworkImporterTests
{
    [Fact]
    public void SequentialWithStridedConvAvgPoolAndBatchNormImportsExactly()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = nn.Sequential(
            nn.Conv2d(3, 8, 5, stride: 2, padding: 2),
            nn.BatchNorm2d(8),
            nn.ReLU(inplace: true),
            nn.AvgPool2d(2),
            nn.Sequential(nn.Conv2d(8, 16, 3, padding: 1, bias: false), nn.BatchNorm2d(16, eps: 1e-3, momentum: 0.05), nn.ReLU()),
            nn.MaxPool2d(3, 2, 1, ceil_mode: true),
            nn.Flatten(),
            nn.Dropout(0.25),
            nn.Linear(16 * 5 * 5, 5)); // 32 → 16 (conv /2) → 8 (avg-pool) → 5 (ceil-mode max-pool)
        RandomizeBatchNorms(model, 6);
        using ImportedNetwork imported = NetworkImporter.Import(model);

        Layer[] expected =
        [
            new Conv2dLayer("0", 3, 8, 5, 5, 2, 2, 2, 2, hasBias: true),
            new BatchNorm2dLayer("1", 8),
            new ReLULayer("2"),
            new AvgPool2dLayer("3", 2, 2),
            new Conv2dLayer("4.0", 8, 16, 3, 3, 1, 1, 1, 1, hasBias: false),
            new BatchNorm2dLayer("4.1", 16, eps: 1e-3, momentum: 0.05),
            new ReLULayer("4.2"),
            new MaxPool2dLayer("5", 3, 2, 1, ceilMode: true),
            new FlattenLayer("6"),
            new DropoutLayer("7", 0.25),
            new LinearLayer("8", 400, 5),
        ];
        Assert.Equal(expected, imported.Spec.Layers);
        Assert.Equal(3, imported.Spec.InputChannels);
        Assert.Equal(ActivationShape.Vector(5), imported.Spec.OutputShape(32, 32));
        Assert.Equal([0, 1], imported.Spec.Convolutions(32, 32).Select(c => c.Stage));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "4.0.weight"],
            imported.Weights.Names.Take(8));
        Assert.Equal(3L, imported.Weights["4.1.num_batches_tracked"].item<long>());

        using var reference = new ReferenceNetwork(imported.Spec, imported.Weights);
        Tensor x = randn(2, 3, 32, 32, generator: new Generator(7));
        model.eval();
        reference.eval();
        using (no_grad())
            Assert.InRange(MaxRelativeDifference(reference.call(x), model.call(x)), 0, 1e-5);
    }

    [Fact]
    public void UnsupportedModulesAreNamedByPathAndType()
    {
        using var gelu = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Sequential(nn.ReLU(), nn.GELU()));
        var error = Assert.Throws<UnsupportedModuleException>(() => NetworkImporter.Import(gelu));
        Assert.Equal("1.1", error.ModulePath);
        Assert.Contains("GELU", error.ModuleType);
        Assert.Contains("'1.1'", error.Message);
        Assert.Contains("TorchSharp.Modules.GELU", error.Message);

        using var custom = nn.Sequential(("stem", nn.Conv2d(3, 4, 3)), ("mystery", new Doubler()));
        error = Assert.Throws<UnsupportedModuleException>(() => NetworkImporter.Import(custom));
        Assert.Equal("mystery", error.ModulePath);
        Assert.Contains(typeof(Doubler).FullName!, error.Message);

        using var grouped = nn.Sequential(nn.Conv2d(4, 4, 3, groups: 2));
        Assert.Contains("grouped", Assert.Throws<UnsupportedModuleException>(() => NetworkImporter.Import(grouped)).Message);
        using var dilated = nn.Sequential(nn.Conv2d(4, 4, 3, dilation: 2));
        Assert.Contains("dilated", Assert.Throws<UnsupportedModuleException>(() => NetworkImporter.Import(dilated)).Message);
        using var bare = nn.Conv2d(3, 4, 3);
        Assert.Contains("Sequential", Assert.Throws<UnsupportedModuleException>(() => NetworkImporter.Import(bare)).Message);
    }

    [Fact]
    public void BottleneckResNetsAreRejectedAtTheirFirstBlock()
    {
        using var resnet50 = torchvision.models.resnet50(num_classes: 10);
        var error = Assert.Throws<UnsupportedModuleException>(() => NetworkImporter.ImportSpec(resnet50));
        Assert.Equal("layer1.0", error.ModulePath);
        Assert.Contains("Bottleneck", error.ModuleType);
    }

    [Fact]
    public void InputChannelsComeFromTheFirstConvolutionOrTheCaller()
    {
        using var model = nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU());
        Assert.Equal(2, NetworkImporter.ImportSpec(model).InputChannels);
        Assert.Throws<ArgumentException>(() => NetworkImporter.ImportSpec(model, inputChannels: 3));
        using var mlp = nn.Sequential(nn.Flatten(), nn.Linear(12, 2));
        Assert.Throws<ArgumentException>(() => NetworkImporter.ImportSpec(mlp));
        NetworkSpec spec = NetworkImporter.ImportSpec(mlp, "mlp", inputChannels: 3);
        Assert.Equal(ActivationShape.Vector(2), spec.OutputShape(2, 2));
        Assert.Equal("mlp", spec.Name);
    }

    private sealed class Doubler : nn.Module<Tensor, Tensor>
    {
        public Doubler() : base(nameof(Doubler)) { }

        public override Tensor forward(Tensor input) => input * 2;
    }
}
