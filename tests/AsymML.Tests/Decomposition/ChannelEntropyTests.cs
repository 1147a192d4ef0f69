using AsymML.Decomposition;

namespace AsymML.Tests.Decomposition;

public class ChannelEntropyTests
{
    [Theory]
    [InlineData(16, 0.3)]
    [InlineData(16, 0.7)]
    [InlineData(32, 0.9)]
    [InlineData(64, 0.95)]
    [InlineData(64, 0.99)]
    [InlineData(8, 1.0)]
    public void GeometricSpectraMeetLemma1AndTheorem1(int n, double ratio)
    {
        using var scope = NewDisposeScope();
        double[] spectrum = Enumerable.Range(0, n).Select(j => Math.Pow(ratio, j)).ToArray();
        Tensor x = Synthetic.WithSpectrum(3, n, 2 * n + 5, spectrum, seed: (ulong)n);

        double[] mu = ChannelEntropy.Compute(x).data<double>().ToArray();
        double sum = spectrum.Sum();
        double expected = -Math.Log2(spectrum.Sum(s => s / sum * (s / sum)));
        Assert.All(mu, m => Assert.Equal(expected, m, 6));
        Assert.All(mu, m => Assert.InRange(m, 0, Math.Log2(n) + 1e-9)); // Lemma 1

        int nPrime = ChannelEntropy.PrincipalChannels(mu[0]);
        Tensor s = ChannelEntropy.SingularValues(x);
        Assert.All(ChannelEntropy.EnergyOfTop(s, nPrime).data<double>().ToArray(), e => Assert.True(e >= 0.97, $"top {nPrime} keep {e}")); // Theorem 1
    }

    [Fact]
    public void RankOneHasZeroEntropyAndFlatSpectrumHasLogN()
    {
        using var scope = NewDisposeScope();
        Tensor rankOne = Synthetic.WithSpectrum(2, 12, 40, [5.0], seed: 1);
        Tensor flat = Synthetic.WithSpectrum(2, 12, 40, Enumerable.Repeat(2.0, 12).ToArray(), seed: 2);
        Assert.All(ChannelEntropy.Compute(rankOne).data<double>().ToArray(), m => Assert.Equal(0, m, 6));
        Assert.All(ChannelEntropy.Compute(flat).data<double>().ToArray(), m => Assert.Equal(Math.Log2(12), m, 6));
        Assert.Equal(1, ChannelEntropy.PrincipalChannels(0));
        Assert.Equal(12, ChannelEntropy.PrincipalChannels(Math.Log2(12)));
        Assert.Equal(3, ChannelEntropy.PrincipalChannels(1.2));
    }

    [Fact]
    public void ZeroMatrixHasZeroEntropyAndFullEnergy()
    {
        using var scope = NewDisposeScope();
        Tensor s = ChannelEntropy.SingularValues(zeros(2, 4, 3, 3));
        Assert.All(ChannelEntropy.FromSingularValues(s).data<double>().ToArray(), m => Assert.Equal(0, m));
        Assert.All(ChannelEntropy.EnergyOfTop(s, 1).data<double>().ToArray(), e => Assert.Equal(1, e));
    }

    [Fact]
    public void EnergyOfTopIsCumulativeShare()
    {
        using var scope = NewDisposeScope();
        Tensor s = tensor(new double[] { 3, 2, 1, 0 }, dtype: ScalarType.Float64).view(1, 4);
        Assert.Equal(9.0 / 14, ChannelEntropy.EnergyOfTop(s, 1).item<double>(), 12);
        Assert.Equal(13.0 / 14, ChannelEntropy.EnergyOfTop(s, 2).item<double>(), 12);
        Assert.Equal(1.0, ChannelEntropy.EnergyOfTop(s, 9).item<double>(), 12);
    }

    [Fact]
    public void PatchChannelsOfAOneByOneKernelAreTheInputChannels()
    {
        using var scope = NewDisposeScope();
        Tensor x = Synthetic.LowRankPlusNoise(2, 3, 5, 5, rank: 2, noise: 0.1, seed: 3);
        Tensor patches = PatchChannels.Unfold(x, 1);
        Assert.True((patches == x.flatten(2)).all().item<bool>());
        Assert.Equal(new long[] { 2, 27, 25 }, PatchChannels.Unfold(x, 3).shape);
        // Patch-channel (c, q, r) is channel c shifted by (q − 1, r − 1) with zero padding.
        Tensor p3 = PatchChannels.Unfold(x, 3).view(2, 3, 3, 3, 5, 5);
        Assert.True((p3[.., 1, 0, 0, 1.., 1..] == x[.., 1, ..4, ..4]).all().item<bool>());
        Assert.True((PatchChannels.Entropy(x, 3) >= ChannelEntropy.Compute(x) - 1e-9).all().item<bool>());
    }

    [Fact]
    public void SingleChannelImageHasEntropyGrowingWithKernelSize()
    {
        using var scope = NewDisposeScope();
        // A smooth image (low spatial frequency) plus detail: patches of a larger kernel see more directions.
        Tensor grid = linspace(0, 3, 28);
        Tensor image = (sin(grid).view(28, 1) * cos(grid).view(1, 28) + 0.05 * sin(7 * grid).view(28, 1)).view(1, 1, 28, 28);
        double previous = -1;
        foreach (int k in new[] { 1, 3, 5, 7 })
        {
            double mu = PatchChannels.Entropy(image, k).item<double>();
            Assert.True(mu > previous, $"k={k}: μ={mu} not above {previous}");
            previous = mu;
        }
    }
}
