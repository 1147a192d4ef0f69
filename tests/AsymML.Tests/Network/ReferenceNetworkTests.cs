using AsymML.Network;
using static AsymML.Tests.Network.NetworkTestUtil;

namespace AsymML.Tests.Network;

public class ReferenceNetworkTests
{
    [Fact]
    public void Vgg11BnMatchesTorchVisionAfterImport()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var torchVision = torchvision.models.vgg11_bn(num_classes: 10);
        RandomizeBatchNorms(torchVision, 1);
        torchVision.eval();
        using ImportedNetwork imported = NetworkImporter.Import(torchVision, copyWeights: false); // 0.5 GB: alias, don't copy
        Assert.Equal(ModelZoo.Create("vgg11_bn", 3, 10), imported.Spec);
        using var reference = new ReferenceNetwork(imported.Spec, imported.Weights);
        reference.eval();

        Tensor x = randn(2, 3, 32, 32, generator: new Generator(2));
        using (no_grad())
            Assert.InRange(MaxRelativeDifference(reference.call(x), torchVision.call(x)), 0, 1e-5);
    }

    [Fact]
    public void ResNet18MatchesTorchVisionInEvaluationTrainingAndBackward()
    {
        using var scope = NewDisposeScope();
        manual_seed(18);
        using var torchVision = torchvision.models.resnet18(num_classes: 10);
        RandomizeBatchNorms(torchVision, 3);
        using ImportedNetwork imported = NetworkImporter.Import(torchVision);
        Assert.Equal(ModelZoo.Create("resnet18", 3, 10), imported.Spec);
        using var reference = new ReferenceNetwork(imported.Spec, imported.Weights);
        Tensor x = randn(2, 3, 64, 64, generator: new Generator(4));

        torchVision.eval();
        reference.eval();
        using (no_grad())
            Assert.InRange(MaxRelativeDifference(reference.call(x), torchVision.call(x)), 0, 1e-5);

        // Training mode: batch statistics, running-statistics updates and gradients agree too.
        torchVision.train();
        reference.train();
        Tensor expected = torchVision.call(x);
        Tensor actual = reference.call(x);
        Assert.InRange(MaxRelativeDifference(actual, expected), 0, 1e-5);
        expected.square().sum().backward();
        actual.square().sum().backward();
        Dictionary<string, Tensor> want = Gradients(torchVision), got = Gradients(reference);
        Assert.Equal(want.Keys.Order(), got.Keys.Order());
        foreach (string name in (string[])["conv1.weight", "layer1.0.conv1.weight", "layer3.0.downsample.0.weight", "layer4.1.bn2.bias", "fc.weight"])
            Assert.InRange(MaxRelativeDifference(got[name], want[name]), 0, 1e-4);
        using StateDict after = StateDict.FromModule(torchVision), mine = StateDict.FromModule(reference);
        Assert.InRange(MaxRelativeDifference(mine["layer2.0.downsample.1.running_var"], after["layer2.0.downsample.1.running_var"]), 0, 1e-5);
        Assert.Equal(4L, mine["bn1.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void ModuleNamesAreTheSpecsParameterNames()
    {
        NetworkSpec spec = ModelZoo.Create("resnet18-cifar", 3, 10);
        using var reference = new ReferenceNetwork(spec);
        using StateDict state = StateDict.FromModule(reference);
        Assert.Equal(spec.Parameters.Select(p => p.Name), state.Names);
        foreach (ParameterEntry entry in spec.Parameters)
        {
            Assert.Equal(entry.Shape, state[entry.Name].shape);
            Assert.Equal(entry.DType, state[entry.Name].dtype);
        }
        Assert.Equal(spec.TrainableParameterCount, reference.parameters().Sum(p => p.numel()));
        Assert.IsType<TorchSharp.Modules.Conv2d>(reference.ModuleAt("layer2.0.downsample.0"));
        Assert.Same(spec, NetworkImporter.ImportSpec(reference));
    }

    [Fact]
    public void SmallCnnRunsAndTrainsOnFashionMnistShapes()
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = ModelZoo.Create("small-cnn", 1, 10);
        using StateDict weights = StateDict.Initialize(spec, seed: 5);
        using var reference = new ReferenceNetwork(spec, weights);
        Tensor logits = reference.call(randn(2, 1, 28, 28, generator: new Generator(6)));
        Assert.Equal([2L, 10L], logits.shape);
        nn.functional.cross_entropy(logits, tensor(new long[] { 3, 7 })).backward();
        Assert.All(reference.parameters(), p => Assert.NotNull(p.grad));
    }
}
