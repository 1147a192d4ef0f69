using AsymML.Decomposition;
using AsymML.Network;

namespace AsymML.Tests.Decomposition;

public class RankPolicyTests
{
    [Fact]
    public void PaperScheduleOnVgg16DoublesPerConvolutionUpTo32()
    {
        IReadOnlyList<RankAssignment> ranks = new PaperRankPolicy().Assign(ModelZoo.Create("vgg16", 3, 1000, 224).Convolutions(224, 224));
        Assert.Equal(13, ranks.Count);
        Assert.Equal(new[] { 1, 2, 4, 8, 16, 32, 32, 32, 32, 32, 32, 32, 32 }, ranks.Select(a => a.Rank));
        Assert.All(ranks, a => Assert.True(a.Split, $"{a.Layer.Name}: {a.Reason}"));
        Assert.Equal("features.0", ranks[0].Layer.Name);
        Assert.Equal("features.28", ranks[^1].Layer.Name);
    }

    [Fact]
    public void PaperScheduleOnCifarVgg16CapsAtTheMapSizeAndKeepsUselessSplitsInside()
    {
        IReadOnlyList<RankAssignment> ranks = new PaperRankPolicy().Assign(ModelZoo.Create("vgg16_bn-cifar", 3, 10, 32).Convolutions(32, 32));
        // The last block sees 2×2 maps: r = min(32, N, H·W) = 4, and 4·(512 + 4) ≥ 512·4, so nothing is saved.
        Assert.All(ranks.TakeLast(3), a =>
        {
            Assert.Equal(4, a.Rank);
            Assert.False(a.Split);
            Assert.Contains("capped at min(N, H·W) = 4", a.Reason);
            Assert.Contains("runs fully in the TEE", a.Reason);
        });
        // 4×4 maps cap r at 16, and 16·(512 + 16) ≥ 512·16: also inside. The first seven layers split.
        Assert.Equal(new[] { 1, 2, 4, 8, 16, 32, 32, 16, 16, 16 }, ranks.Take(10).Select(a => a.Rank));
        Assert.Equal(Enumerable.Repeat(true, 7).Concat(Enumerable.Repeat(false, 6)), ranks.Select(a => a.Split));
        Assert.Equal("features.40", ranks[^1].Layer.Name);
    }

    [Fact]
    public void PaperScheduleOnResNet18DoublesPerResidualBlock()
    {
        IReadOnlyList<RankAssignment> ranks = new PaperRankPolicy().Assign(ModelZoo.Create("resnet18", 3, 1000, 224).Convolutions(224, 224));
        Assert.Equal(20, ranks.Count); // stem + 8 blocks × 2 + 3 projections
        var byName = ranks.ToDictionary(a => a.Layer.Name);
        Assert.Equal(1, byName["conv1"].Rank);
        int[] expected = [2, 4, 8, 16, 32, 32, 32, 32];
        string[] blocks = ["layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1"];
        for (int i = 0; i < blocks.Length; i++)
        {
            Assert.Equal(expected[i], byName[blocks[i] + ".conv1"].Rank);
            Assert.Equal(expected[i], byName[blocks[i] + ".conv2"].Rank);
        }
        Assert.Equal(8, byName["layer2.0.downsample.0"].Rank);
        Assert.Equal(32, byName["layer4.0.downsample.0"].Rank);
        Assert.Equal(7, byName["layer4.1.conv2"].Layer.InHeight);
        Assert.All(ranks, a => Assert.True(a.Split, $"{a.Layer.Name}: {a.Reason}"));
    }

    [Fact]
    public void CifarResNet18LastStageRunsInside()
    {
        var byName = new PaperRankPolicy().Assign(ModelZoo.Create("resnet18-cifar", 3, 10, 32).Convolutions(32, 32)).ToDictionary(a => a.Layer.Name);
        Assert.Equal(new[] { 3, 3 }, new[] { byName["conv1"].Layer.KernelSize, byName["layer1.0.conv1"].Layer.KernelSize });
        // 4×4 output maps, N = 512, r = 16 (capped at H·W): 16·(512 + 16) ≥ 512·16.
        RankAssignment last = byName["layer4.1.conv2"];
        Assert.Equal(16, last.Rank);
        Assert.False(last.Split);
        Assert.True(byName["layer1.0.conv1"].Split);
    }

    [Fact]
    public void GrayscaleFirstConvolutionSavesNothing()
    {
        // One input channel is rank one: the "split" would send an all-zero residual and cost the whole convolution.
        RankAssignment first = new FixedRankPolicy(1).Assign(ModelZoo.Create("small-cnn", 1, 10, 28).Convolutions(28, 28))[0];
        Assert.Equal(1, first.Rank);
        Assert.False(first.Split);
    }

    [Fact]
    public void FixedPolicyCapsPerLayer()
    {
        IReadOnlyList<RankAssignment> ranks = new FixedRankPolicy(8).Assign(ModelZoo.Create("vgg16", 3, 1000, 224).Convolutions(224, 224));
        Assert.Equal(3, ranks[0].Rank); // N = 3
        Assert.All(ranks.Skip(1), a => Assert.Equal(8, a.Rank));
    }

    [Fact]
    public void EnergyPolicyPicksTheSmallestSufficientRank()
    {
        using var scope = NewDisposeScope();
        var layers = new[] { new ConvLayerShape("a", 16, 16, 3, 1, 1, 8, 8, 0), new ConvLayerShape("b", 16, 16, 3, 1, 1, 8, 8, 1) };
        // Layer a: spectrum 4,2,1 (energies 16,4,1 → 16/21 = 0.76, 20/21 = 0.95, 1); layer b: 40 equal values.
        Tensor a = Synthetic.WithSpectrum(4, 16, 64, [4, 2, 1], seed: 1).to(ScalarType.Float32).view(4, 16, 8, 8);
        Tensor b = Synthetic.WithSpectrum(4, 16, 64, Enumerable.Repeat(1.0, 16).ToArray(), seed: 2).to(ScalarType.Float32).view(4, 16, 8, 8);
        Func<ConvLayerShape, Tensor> calibration = l => l.Name == "a" ? a : b;

        Assert.Equal(2, new EnergyRankPolicy(0.9).Assign(layers, calibration)[0].Rank);
        Assert.Equal(3, new EnergyRankPolicy(0.99).Assign(layers, calibration)[0].Rank);
        Assert.Equal(1, new EnergyRankPolicy(0.5).Assign(layers, calibration)[0].Rank);
        RankAssignment capped = new EnergyRankPolicy(0.9, maxRank: 8).Assign(layers, calibration)[1];
        Assert.Equal(8, capped.Rank); // needs 15 of 16
        Assert.Contains("capped at 8", capped.Reason);
        Assert.Contains("no calibration batch was given for layer 'a'".Replace("no calibration batch was given", "needs a calibration batch, and none was given"),
            Assert.Throws<InvalidOperationException>(() => new EnergyRankPolicy(0.9).Assign(layers)).Message);
    }

    [Theory]
    [InlineData("paper", "paper")]
    [InlineData("fixed:4", "fixed:4")]
    [InlineData(" Energy:0.95 ", "energy:0.95")]
    public void ParseReadsEveryForm(string text, string name) => Assert.Equal(name, RankPolicy.Parse(text).Name);

    [Theory]
    [InlineData("fixed:0", "'0' is not an integer rank ≥ 1")]
    [InlineData("fixed:x", "'x' is not an integer rank ≥ 1")]
    [InlineData("energy:1.5", "'1.5' is not an energy share in (0, 1]")]
    [InlineData("energy", "'' is not an energy share")]
    [InlineData("greedy", "'greedy' is unknown")]
    public void ParseRejectsBadTextWithTheAcceptedForms(string text, string problem)
    {
        string message = Assert.Throws<FormatException>(() => RankPolicy.Parse(text)).Message;
        Assert.Contains(problem, message);
        Assert.Contains("expected 'paper', 'fixed:r'", message);
    }
}
