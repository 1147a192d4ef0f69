using AsymML.Data;

namespace AsymML.Tests.Data;

public sealed class AugmentationTests
{
    private static Tensor RandomBatch(long b, long c, long h, long w, ulong seed)
    {
        using var g = new Generator(seed);
        return torch.rand([b, c, h, w], generator: g);
    }

    /// <summary>The (dy, dx) in [0, 2p]² whose window of the zero-padded <paramref name="original"/> equals <paramref name="sample"/> exactly.</summary>
    private static List<(int Dy, int Dx)> MatchingWindows(Tensor sample, Tensor original, int p)
    {
        using var scope = torch.NewDisposeScope();
        long h = original.shape[1], w = original.shape[2];
        Tensor padded = nn.functional.pad(original.unsqueeze(0), [p, p, p, p]).squeeze(0);
        var matches = new List<(int, int)>();
        for (int dy = 0; dy <= 2 * p; dy++)
            for (int dx = 0; dx <= 2 * p; dx++)
                if (TensorEquality.Same(padded[.., dy..(int)(dy + h), dx..(int)(dx + w)], sample))
                    matches.Add((dy, dx));
        return matches;
    }

    [Fact]
    public void Crop_EachSampleIsExactlyOneWindowOfThePaddedOriginal_OffsetsSpanMinusPToP()
    {
        const int p = 3;
        using Tensor x = RandomBatch(32, 2, 9, 7, seed: 1);
        using Tensor before = x.clone();
        using var g = new Generator(5);

        using Tensor y = new Augmentation(cropPadding: p).Apply(x, g);

        Assert.Equal(x.shape, y.shape);
        Assert.True(TensorEquality.Same(x, before), "the input must not be modified");
        var shifts = new HashSet<(int, int)>();
        for (int i = 0; i < 32; i++)
        {
            var windows = MatchingWindows(y[i], x[i], p);
            Assert.Single(windows); // random values: only one offset can match
            shifts.Add((windows[0].Dy - p, windows[0].Dx - p));
        }
        Assert.All(shifts, s => Assert.True(Math.Abs(s.Item1) <= p && Math.Abs(s.Item2) <= p));
        // 32 draws from 49 offsets: at least 15 distinct, and both extremes of dy reached, with this seed.
        Assert.True(shifts.Count >= 15, $"only {shifts.Count} distinct offsets");
        Assert.Contains(shifts, s => s.Item1 == -p || s.Item2 == -p);
        Assert.Contains(shifts, s => s.Item1 == p || s.Item2 == p);
    }

    [Fact]
    public void Flip_MirrorsExactly_AboutHalfTheSamples()
    {
        using Tensor x = RandomBatch(200, 3, 4, 5, seed: 2);
        using var g = new Generator(9);

        using Tensor y = new Augmentation(horizontalFlip: true).Apply(x, g);

        int flipped = 0;
        for (int i = 0; i < 200; i++)
        {
            using Tensor xi = x[i], yi = y[i], mirrored = xi.flip(2);
            bool same = TensorEquality.Same(yi, xi), mirror = TensorEquality.Same(yi, mirrored);
            Assert.True(same ^ mirror, $"sample {i} is neither the image nor its exact mirror");
            if (mirror)
            {
                flipped++;
                // Column j of the output is column W-1-j of the input.
                Assert.Equal(xi[1, 2, 4].ToSingle(), yi[1, 2, 0].ToSingle());
            }
        }
        // Binomial(200, 0.5): 100 ± 4 standard deviations (±28).
        Assert.InRange(flipped, 72, 128);
    }

    [Fact]
    public void CropAndFlip_EachSampleIsAWindowOrItsMirror()
    {
        const int p = 2;
        using Tensor x = RandomBatch(16, 1, 6, 6, seed: 3);
        using var g = new Generator(4);

        using Tensor y = (Augmentation.Cifar with { CropPadding = p }).Apply(x, g);

        for (int i = 0; i < 16; i++)
        {
            using Tensor yi = y[i], mirrored = yi.flip(2);
            int matches = MatchingWindows(yi, x[i], p).Count + MatchingWindows(mirrored, x[i], p).Count;
            Assert.Equal(1, matches);
        }
    }

    [Fact]
    public void SameSeed_SameBatch_DifferentSeed_DifferentBatch()
    {
        using Tensor x = RandomBatch(8, 3, 8, 8, seed: 4);
        var aug = Augmentation.Cifar;
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var g3 = new Generator(43);

        using Tensor a = aug.Apply(x, g1);
        using Tensor b = aug.Apply(x, g2);
        using Tensor c = aug.Apply(x, g3);
        using Tensor a2 = aug.Apply(x, g1); // the generator advanced: the next batch differs

        Assert.True(TensorEquality.Same(a, b));
        Assert.False(TensorEquality.Same(a, c));
        Assert.False(TensorEquality.Same(a, a2));
    }

    [Fact]
    public void None_ReturnsAnEqualCopy_AndNegativePaddingIsRejected()
    {
        using Tensor x = RandomBatch(2, 1, 3, 3, seed: 5);
        using var g = new Generator(1);

        using Tensor y = Augmentation.None.Apply(x, g);

        Assert.True(Augmentation.None.IsIdentity);
        Assert.False(Augmentation.Cifar.IsIdentity);
        Assert.True(TensorEquality.Same(y, x));
        Assert.NotEqual(x.Handle, y.Handle);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Augmentation(cropPadding: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.None with { CropPadding = -2 });
        using Tensor ints = torch.zeros([1, 1, 2, 2], ScalarType.Int32);
        Assert.Throws<ArgumentException>(() => Augmentation.Cifar.Apply(ints, g));
    }

    [Fact]
    public void Apply_LeavesNoLiveTemporaries()
    {
        using Tensor x = RandomBatch(16, 3, 32, 32, seed: 6);
        using var g = new Generator(2);
        Augmentation.Cifar.Apply(x, g).Dispose(); // warm-up

        using (var scope = torch.NewDisposeScope())
        {
            Tensor y = Augmentation.Cifar.Apply(x, g);
            Assert.Equal(1, scope.DisposablesCount); // only the result was left in the caller's scope
        }
    }
}
