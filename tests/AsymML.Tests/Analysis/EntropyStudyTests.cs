using AsymML.Analysis;
using AsymML.Data;

namespace AsymML.Tests.Analysis;

public class EntropyStudyTests
{
    [Fact]
    public void EntropyGrowsWithKernelSizeOnFashionMnistAsInFigure9()
    {
        using var scope = NewDisposeScope();
        Tensor images = FashionMnist.Load(FashionMnist.TestSplit, maxSamples: 100).ToTensor();
        EntropyReport report = EntropyStudy.Run(images, [1, 3, 5, 7], rank: 4);

        Assert.Equal(100, report.Samples);
        Assert.Equal([1, 3, 5, 7], report.Kernels.Select(k => k.K));
        Assert.Equal([1, 9, 25, 49], report.Kernels.Select(k => k.PatchChannels));
        Assert.Equal(0, report.Kernels[0].MuMean, 9); // one patch-channel: rank one
        for (int i = 1; i < report.Kernels.Count; i++)
        {
            KernelEntropy k = report.Kernels[i], previous = report.Kernels[i - 1];
            Assert.True(k.MuMean > previous.MuMean + 0.3, $"k={k.K}: μ {k.MuMean} vs {previous.MuMean}");
            Assert.InRange(k.MuMean, 0, Math.Log2(k.PatchChannels));
            Assert.InRange(k.MuMedian, k.MuMin, k.MuMax);
            Assert.True(k.MuP05 <= k.MuMedian && k.MuMedian <= k.MuP95);
            Assert.Equal((int)Math.Ceiling(Math.Pow(2, k.MuMean)), k.NPrime);
            // Exact is optimal; the iterative splits come within 1% of it on average.
            Assert.True(k.Energy.Exact >= k.Energy.Light - 1e-9 && k.Energy.Exact >= k.Energy.Blocked - 1e-9);
            Assert.True(k.Energy.Light >= 0.99 * k.Energy.Exact && k.Energy.Blocked >= 0.99 * k.Energy.Exact);
            Assert.True(k.Ms.Light > 0 && k.Ms.Blocked > 0 && k.Ms.Exact > 0);
            Assert.Equal(100, k.Mu.Length);
        }
        // The 3×3 figure the paper quotes: about one bit more than the image itself (μ = 0 here).
        Assert.InRange(report.Kernels[1].MuMean, 1.0, 2.5);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("kernel sizes must be at least 1", Assert.Throws<ArgumentException>(() => EntropyStudy.Run(zeros(2, 1, 4, 4), [0, 3], 2)).Message);
        Assert.Contains("non-empty [B, N, H, W]", Assert.Throws<ArgumentException>(() => EntropyStudy.Run(zeros(2, 4, 4), [3], 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => EntropyStudy.Run(zeros(2, 1, 4, 4), [3], 0));
    }

    [Fact]
    public void PercentileInterpolates()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(1, EntropyStudy.Percentile(sorted, 0));
        Assert.Equal(2.5, EntropyStudy.Percentile(sorted, 0.5));
        Assert.Equal(4, EntropyStudy.Percentile(sorted, 1));
    }
}
