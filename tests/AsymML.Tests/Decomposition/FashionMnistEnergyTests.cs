using AsymML.Data;
using AsymML.Decomposition;
using Xunit.Abstractions;

namespace AsymML.Tests.Decomposition;

/// <summary>Algorithm 1 and the blocked variant against the exact split on real patch matrices
/// (Fashion-MNIST test images, k² patch-channels × 784 positions).</summary>
public class FashionMnistEnergyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(SplitMethod.Lightweight, 3, 2)]
    [InlineData(SplitMethod.Lightweight, 3, 4)]
    [InlineData(SplitMethod.Lightweight, 5, 4)]
    [InlineData(SplitMethod.Lightweight, 7, 4)]
    [InlineData(SplitMethod.Blocked, 3, 2)]
    [InlineData(SplitMethod.Blocked, 3, 4)]
    [InlineData(SplitMethod.Blocked, 5, 4)]
    [InlineData(SplitMethod.Blocked, 7, 4)]
    public void TwoIterationsKeepNinetyNinePercentOfExactEnergy(SplitMethod method, int kernel, int rank)
    {
        using var scope = NewDisposeScope();
        Tensor images = FashionMnist.Load(FashionMnist.TestSplit, maxSamples: 300).ToTensor();
        Tensor patches = PatchChannels.Unfold(images, kernel).view(300, kernel * kernel, 28, 28);
        double[] relative = LowRankSplitTests.RelativeEnergy(patches, method, rank, iterations: 2);
        output.WriteLine($"{method} k={kernel} r={rank}: mean {relative.Average():0.0000}, worst {relative.Min():0.0000}");
        Assert.True(relative.Average() >= 0.99, $"mean {relative.Average():0.0000}");
        Assert.True(relative.Min() >= 0.95, $"worst {relative.Min():0.0000}");
    }
}
