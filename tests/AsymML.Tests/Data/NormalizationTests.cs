using AsymML.Data;

namespace AsymML.Tests.Data;

public sealed class NormalizationTests
{
    /// <summary>3-channel images whose channels have clearly different statistics.</summary>
    private static LabeledImages ThreeChannelSet()
    {
        const int count = 20, plane = 6 * 5;
        var rng = new Random(11);
        var pixels = new byte[count * 3 * plane];
        for (int i = 0; i < count; i++)
            for (int p = 0; p < plane; p++)
            {
                pixels[(i * 3 + 0) * plane + p] = (byte)rng.Next(0, 256);
                pixels[(i * 3 + 1) * plane + p] = (byte)rng.Next(100, 130);
                pixels[(i * 3 + 2) * plane + p] = (byte)(rng.Next(0, 4) * 60);
            }
        return new LabeledImages(pixels, new byte[count], count, 3, 6, 5);
    }

    [Fact]
    public void FromData_MatchesATwoPassFloat64Computation()
    {
        LabeledImages d = ThreeChannelSet();

        Normalization n = Normalization.FromData(d);

        int plane = d.Rows * d.Cols;
        for (int c = 0; c < 3; c++)
        {
            double[] values = Enumerable.Range(0, d.Count)
                .SelectMany(i => d.GetImage(i).Slice(c * plane, plane).ToArray()).Select(v => v / 255.0).ToArray();
            double mean = values.Average();
            double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            Assert.Equal(mean, n.Mean[c], 1e-12);
            Assert.Equal(std, n.Std[c], 1e-12);
        }
        Assert.Equal(3, n.Channels);
    }

    [Fact]
    public void Apply_GivesMean0Std1PerChannel_WithinFloat32Rounding()
    {
        LabeledImages d = ThreeChannelSet();
        Normalization n = Normalization.FromData(d);
        using Tensor x = d.ToTensor();
        using Tensor before = x.clone();

        using Tensor y = n.Apply(x);

        Assert.Equal(x.shape, y.shape);
        Assert.Equal(ScalarType.Float32, y.dtype);
        Assert.True(TensorEquality.Same(x, before), "the input must not be modified");
        using Tensor perChannel = y.to_type(ScalarType.Float64).permute(1, 0, 2, 3).reshape(3, -1);
        using Tensor mean = perChannel.mean([1]);
        using Tensor std = perChannel.std(1, unbiased: false);
        for (int c = 0; c < 3; c++)
        {
            // float32 values of size ~1: |mean| below 1e-5 and |std - 1| below 1e-5 (600 values per channel).
            Assert.InRange(mean[c].ToDouble(), -1e-5, 1e-5);
            Assert.InRange(std[c].ToDouble(), 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Fact]
    public void ConstantChannel_GetsStd1_SoItIsOnlyShifted()
    {
        var d = new LabeledImages(Enumerable.Repeat((byte)51, 2 * 4).ToArray(), [0, 0], 2, 1, 2, 2);

        Normalization n = Normalization.FromData(d);
        using Tensor y = n.Apply(d.ToTensor());

        Assert.Equal(0.2, n.Mean[0], 1e-15);
        Assert.Equal(1.0, n.Std[0]);
        Assert.Equal(0f, y.abs().max().ToSingle(), 1e-7f);
    }

    [Fact]
    public void Apply_UsesGivenStatistics_AndChecksTheShape()
    {
        var n = new Normalization([0.5, 0.25], [0.5, 2.0]);
        using Tensor x = torch.tensor(new float[] { 0f, 1f, 0.25f, 2.25f }, [1, 2, 1, 2]);

        using Tensor y = n.Apply(x);

        Assert.Equal(new float[] { -1f, 1f, 0f, 1f }, y.data<float>().ToArray());
        using Tensor wrongChannels = torch.zeros(1, 3, 2, 2);
        using Tensor threeD = torch.zeros(2, 2, 2);
        Assert.Throws<ArgumentException>(() => n.Apply(wrongChannels));
        Assert.Throws<ArgumentException>(() => n.Apply(threeD));
        Assert.Throws<ArgumentException>(() => new Normalization([0.5], [0.0]));
        Assert.Throws<ArgumentException>(() => new Normalization([0.5, 0.5], [1.0]));
        Assert.Throws<ArgumentException>(() => Normalization.FromData(new LabeledImages([], [], 0, 3, 3)));
    }
}
