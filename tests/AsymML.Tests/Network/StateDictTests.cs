using AsymML.Network;
using TorchSharp.PyBridge;
using static AsymML.Tests.Network.NetworkTestUtil;

namespace AsymML.Tests.Network;

public class StateDictTests
{
    [Fact]
    public void InitialisationIsSeededByItsOwnGeneratorAndFollowsTorchvision()
    {
        using var scope = NewDisposeScope();
        NetworkSpec small = ModelZoo.Create("small-cnn", 1, 10);
        manual_seed(1);
        using StateDict a = StateDict.Initialize(small, seed: 7);
        manual_seed(2); // the global generator plays no part
        using StateDict b = StateDict.Initialize(small, new Generator(7)), c = StateDict.Initialize(small, seed: 8);
        AssertBitIdentical(a, b);
        Assert.False(BitIdentical(a["features.0.weight"], c["features.0.weight"]));
        Assert.Equal(small.Parameters.Select(p => p.Name), a.Names);
        Assert.True(a["features.1.weight"].eq(1).all().item<bool>());
        Assert.True(a["features.1.bias"].eq(0).all().item<bool>());
        Assert.True(a["features.1.running_mean"].eq(0).all().item<bool>());
        Assert.True(a["features.1.running_var"].eq(1).all().item<bool>());
        Assert.Equal(0L, a["features.1.num_batches_tracked"].item<long>());

        // Kaiming normal with fan-out and ReLU gain: std = sqrt(2 / (512 * 3 * 3)), here over 2.4 M samples;
        // Linear: uniform in ±1/sqrt(in).
        var wide = new NetworkSpec("wide", 512,
            [Conv2dLayer.Square("conv", 512, 512, 3, padding: 1), new FlattenLayer("flatten"), new LinearLayer("fc", 512, 100)]);
        using StateDict w = StateDict.Initialize(wide, seed: 3);
        double std = w["conv.weight"].std().item<float>();
        Assert.InRange(std, 0.995 * Math.Sqrt(2.0 / 4608), 1.005 * Math.Sqrt(2.0 / 4608));
        Assert.InRange(w["conv.weight"].mean().item<float>(), -1e-4, 1e-4);
        Assert.True(w["conv.bias"].eq(0).all().item<bool>());
        double bound = 1 / Math.Sqrt(512);
        Assert.InRange(w["fc.weight"].abs().max().item<float>(), 0.99 * bound, bound);
        Assert.InRange(w["fc.bias"].abs().max().item<float>(), 0, bound);
    }

    [Theory]
    [InlineData("weights.dat")]
    [InlineData("weights.pt")]
    [InlineData("weights.safetensors")]
    public void RoundTripsAreBitIdentical(string file)
    {
        using var dir = new TempDir();
        using StateDict original = Trained(ModelZoo.Create("small-cnn", 1, 10));
        original.Save(dir.File(file));
        using StateDict loaded = StateDict.Load(dir.File(file));
        AssertBitIdentical(original, loaded);
        using StateDict ordered = StateDict.Load(dir.File(file), ModelZoo.Create("small-cnn", 1, 10));
        Assert.Equal(original.Names, ordered.Names);
        AssertBitIdentical(original, ordered);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void FilesInterchangeWithTorchSharpAndPyBridgeModules()
    {
        using var dir = new TempDir();
        NetworkSpec spec = ModelZoo.Create("small-cnn", 1, 10);
        using StateDict original = Trained(spec);
        using var source = new ReferenceNetwork(spec, original);

        // Written by the module (TorchSharp and PyBridge), read here.
        source.save(dir.File("module.dat"));
        source.save_py(dir.File("module.pt"));
        source.save_safetensors(dir.File("module.safetensors"));
        foreach (string file in (string[])["module.dat", "module.pt", "module.safetensors"])
        {
            using StateDict read = StateDict.Load(dir.File(file));
            AssertBitIdentical(original, read);
        }

        // Written here, read by modules.
        original.Save(dir.File("dict.dat"));
        original.Save(dir.File("dict.pt"));
        original.Save(dir.File("dict.safetensors"));
        foreach (var load in new Action<nn.Module>[] { m => m.load(dir.File("dict.dat")), m => m.load_py(dir.File("dict.pt")), m => m.load_safetensors(dir.File("dict.safetensors")) })
        {
            using var target = new ReferenceNetwork(spec);
            load(target);
            using StateDict read = StateDict.FromModule(target);
            AssertBitIdentical(original, read);
        }
    }

    [Fact]
    public void MismatchesAreReportedAndNothingIsCopied()
    {
        using StateDict tenClasses = StateDict.Initialize(ModelZoo.Create("small-cnn", 1, 10), seed: 1);
        using var fiveClasses = new ReferenceNetwork(ModelZoo.Create("small-cnn", 1, 5));
        using StateDict before = StateDict.FromModule(fiveClasses);
        var error = Assert.Throws<ArgumentException>(() => tenClasses.CopyTo(fiveClasses));
        Assert.Contains("'classifier.weight' has shape [10, 3136]", error.Message);
        using StateDict after = StateDict.FromModule(fiveClasses);
        AssertBitIdentical(before, after);

        var invalid = Assert.Throws<InvalidDataException>(() => tenClasses.Validate(ModelZoo.Create("vgg11-cifar", 1, 10)));
        Assert.Contains("missing ('features.0.bias'", invalid.Message);
        Assert.Contains("not in the network 'vgg11-cifar' ('features.1.weight'", invalid.Message);
        Assert.Contains("'features.0.weight' has shape [32, 1, 3, 3], the network 'vgg11-cifar' needs [64, 1, 3, 3]", invalid.Message);
    }

    [Fact]
    public void BadFilesGiveClearErrors()
    {
        using var dir = new TempDir();
        using StateDict state = StateDict.Initialize(ModelZoo.Create("small-cnn", 1, 10), seed: 1);
        Assert.Contains(".safetensors", Assert.Throws<ArgumentException>(() => state.Save(dir.File("weights.bin"))).Message);
        File.WriteAllText(dir.File("junk.pt"), "not a zip file");
        Assert.Contains("junk.pt", Assert.Throws<InvalidDataException>(() => StateDict.Load(dir.File("junk.pt"))).Message);
        Assert.Throws<FileNotFoundException>(() => StateDict.Load(dir.File("missing.dat")));
        state.Save(dir.File("weights.bin"), StateDictFormat.Safetensors);
        using StateDict read = StateDict.Load(dir.File("weights.bin"), StateDictFormat.Safetensors);
        AssertBitIdentical(state, read);
    }

    /// <summary>Initial weights with non-trivial BatchNorm statistics and batch counts.</summary>
    private static StateDict Trained(NetworkSpec spec)
    {
        StateDict state = StateDict.Initialize(spec, seed: 3);
        using var generator = new Generator(9);
        using var _ = no_grad();
        foreach (ParameterEntry entry in spec.Parameters.Where(p => p.IsBuffer))
        {
            Tensor t = state[entry.Name];
            if (entry.Role == ParameterRole.BatchesTracked) t.fill_(1234);
            else t.uniform_(0.5, 1.5, generator);
        }
        return state;
    }
}
