using AsymML.Decomposition;
using AsymML.Enclave;

namespace AsymML.Tests.Decomposition;

public class NoiseMaskTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(1.0)]
    public void NoiseHasTheRequestedRatioPerSample(double nsr)
    {
        using var scope = NewDisposeScope();
        // Samples of very different scales: the noise must follow each sample's own rms.
        Tensor residual = Synthetic.LowRankPlusNoise(4, 32, 32, 32, rank: 4, noise: 0.5, seed: 7) * tensor(new float[] { 0.01f, 1, 10, 300 }).view(4, 1, 1, 1);
        using var mask = new NoiseMask(nsr, seed: 123);
        Tensor noise = mask.Apply(residual) - residual;
        Tensor ratio = noise.flatten(1).std(1) / residual.flatten(1).square().mean([1L]).sqrt();
        Assert.All(ratio.data<float>().ToArray(), r => Assert.InRange(r / nsr, 0.98, 1.02));
        Assert.True(noise.mean().abs().item<float>() < 0.05 * nsr * 300);
    }

    [Fact]
    public void ZeroRatioIsAnExactCopyAndInputIsUnchanged()
    {
        using var scope = NewDisposeScope();
        Tensor residual = randn(2, 3, 4, 4);
        Tensor before = residual.clone();
        using var mask = new NoiseMask(0);
        Tensor masked = mask.Apply(residual);
        Assert.True((masked == residual).all().item<bool>());
        using var noisy = new NoiseMask(0.1);
        noisy.Apply(residual).Dispose();
        Assert.True((residual == before).all().item<bool>());
    }

    [Fact]
    public void SeededNoiseRepeatsAndUnseededNoiseDoesNot()
    {
        using var scope = NewDisposeScope();
        Tensor residual = randn(2, 3, 8, 8);
        using var a = new NoiseMask(0.1, seed: 5);
        using var b = new NoiseMask(0.1, seed: 5);
        Assert.True((a.Apply(residual) == b.Apply(residual)).all().item<bool>());
        using var c = new NoiseMask(0.1);
        using var d = new NoiseMask(0.1);
        Assert.False((c.Apply(residual) == d.Apply(residual)).all().item<bool>());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadRatioIsRefused(double nsr) =>
        Assert.Contains("noise-to-signal ratio", Assert.Throws<ArgumentOutOfRangeException>(() => new NoiseMask(nsr)).Message);
}
