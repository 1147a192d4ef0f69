using AsymML.Decomposition;

namespace AsymML.Tests.Decomposition;

public class LowRankSplitTests
{
    public static TheoryData<SplitMethod, int> MethodsAndRanks()
    {
        var data = new TheoryData<SplitMethod, int>();
        foreach (SplitMethod m in Enum.GetValues<SplitMethod>())
            foreach (int r in new[] { 1, 3, 8, 16 })
                data.Add(m, r);
        return data;
    }

    [Theory]
    [MemberData(nameof(MethodsAndRanks))]
    public void LowRankPartPlusResidualEqualsInput(SplitMethod method, int rank)
    {
        using var scope = NewDisposeScope();
        Tensor x = Synthetic.LowRankPlusNoise(4, 12, 7, 9, rank: 5, noise: 0.3, seed: 11);
        using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = rank, Method = method });

        double error = Synthetic.MaxAbs(f.LowRankPart() + f.Residual - x);
        Assert.True(error <= 1e-5 * Synthetic.MaxAbs(x), $"{method} r={rank}: max |U·V + X^U − X| = {error}");
        int expected = Math.Min(rank, 12);
        Assert.Equal(new long[] { 4, 12, expected }, f.U.shape);
        Assert.Equal(new long[] { 4, expected, 63 }, f.V.shape);
        Assert.Equal(x.shape, f.Residual.shape);
    }

    [Theory]
    [InlineData(SplitMethod.Lightweight)]
    [InlineData(SplitMethod.Blocked)]
    [InlineData(SplitMethod.Exact)]
    public void LowRankPartHasRankAtMostR(SplitMethod method)
    {
        using var scope = NewDisposeScope();
        Tensor x = Synthetic.LowRankPlusNoise(3, 10, 6, 6, rank: 10, noise: 1.0, seed: 5);
        using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = 3, Method = method });
        // Numerical rank: singular values above float32 rounding of the largest.
        Tensor s = linalg.svdvals(f.LowRankPart().flatten(2).to(ScalarType.Float64));
        Tensor ranks = (s > 1e-5 * s.narrow(1, 0, 1)).sum(1);
        Assert.All(ranks.data<long>().ToArray(), r => Assert.Equal(3, r));
    }

    [Fact]
    public void RankIsCappedAtMinOfChannelsAndPositions()
    {
        using var scope = NewDisposeScope();
        Tensor wide = Synthetic.LowRankPlusNoise(2, 6, 4, 4, rank: 6, noise: 0.5, seed: 1);   // N = 6 < HW = 16
        Tensor tall = Synthetic.LowRankPlusNoise(2, 20, 2, 2, rank: 4, noise: 0.5, seed: 2);  // HW = 4 < N = 20
        foreach (SplitMethod m in Enum.GetValues<SplitMethod>())
        {
            using LowRankFactors a = LowRankSplit.Split(wide, new LowRankSplitOptions { Rank = 50, Method = m });
            using LowRankFactors b = LowRankSplit.Split(tall, new LowRankSplitOptions { Rank = 50, Method = m });
            Assert.Equal(6, a.Rank);
            Assert.Equal(4, b.Rank);
            // Full rank: nothing is left for the untrusted side.
            Assert.True(Synthetic.MaxAbs(a.Residual) <= 1e-4 * Synthetic.MaxAbs(wide), $"{m}: residual {Synthetic.MaxAbs(a.Residual)}");
            Assert.True(Synthetic.MaxAbs(b.Residual) <= 1e-4 * Synthetic.MaxAbs(tall), $"{m}: residual {Synthetic.MaxAbs(b.Residual)}");
        }
    }

    [Theory]
    [InlineData(SplitMethod.Lightweight, 4)]
    [InlineData(SplitMethod.Lightweight, 8)]
    [InlineData(SplitMethod.Blocked, 4)]
    [InlineData(SplitMethod.Blocked, 8)]
    public void TwoIterationsKeepNinetyNinePercentOfExactEnergyOnLowRankPlusNoise(SplitMethod method, int rank)
    {
        using var scope = NewDisposeScope();
        Tensor x = Synthetic.LowRankPlusNoise(8, 64, 16, 16, rank: 8, noise: 0.2, seed: 42);
        double[] relative = RelativeEnergy(x, method, rank, iterations: 2);
        Assert.True(relative.Min() >= 0.99, $"{method} r={rank}: worst sample keeps {relative.Min():0.0000} of the exact top-r energy");
    }

    [Fact]
    public void ExactSplitKeepsTheTopSingularEnergy()
    {
        using var scope = NewDisposeScope();
        double[] spectrum = [8, 4, 2, 1, 0.5, 0.25];
        Tensor x = Synthetic.WithSpectrum(2, 6, 30, spectrum, seed: 3).to(ScalarType.Float32).view(2, 6, 5, 6);
        using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = 2, Method = SplitMethod.Exact });
        double expected = (64.0 + 16) / spectrum.Sum(s => s * s);
        Assert.All(LowRankSplit.CapturedEnergy(x, f).data<double>().ToArray(), e => Assert.Equal(expected, e, 4));
    }

    [Theory]
    [InlineData(SplitMethod.Lightweight)]
    [InlineData(SplitMethod.Blocked)]
    public void DeadFirstChannelDoesNotGiveAZeroComponent(SplitMethod method)
    {
        using var scope = NewDisposeScope();
        Tensor x = Synthetic.LowRankPlusNoise(3, 8, 6, 6, rank: 3, noise: 0.05, seed: 9);
        x.select(1, 0).zero_(); // channel 0 dead, as after a ReLU that killed it
        var options = new LowRankSplitOptions { Rank = 2, Method = method, Start = WarmStart.FirstChannels };
        using LowRankFactors f = LowRankSplit.Split(x, options);
        Tensor componentNorms = f.U.square().sum(1) * f.V.square().sum(2); // [B, r]
        Assert.True(componentNorms.min().item<float>() > 0, "a component is zero while energy is left");
        Assert.True(RelativeEnergy(x, method, 2, 2, WarmStart.FirstChannels).Min() >= 0.99);
    }

    [Theory]
    [InlineData(SplitMethod.Lightweight)]
    [InlineData(SplitMethod.Blocked)]
    public void ZeroOrOrthogonalWarmStartIsReplaced(SplitMethod method)
    {
        using var scope = NewDisposeScope();
        Tensor x = Synthetic.LowRankPlusNoise(2, 8, 4, 8, rank: 2, noise: 0.01, seed: 4);
        x.narrow(3, 4, 4).zero_(); // the data lives in the left half of every map
        Tensor orthogonal = zeros(1, 2, 32);
        orthogonal[0, 0, 30] = 1; // support in the empty right half: X·v = 0
        foreach (Tensor start in new[] { zeros(1, 2, 32), orthogonal })
        {
            var options = new LowRankSplitOptions { Rank = 2, Method = method, InitialV = start };
            using LowRankFactors f = LowRankSplit.Split(x, options);
            double kept = LowRankSplit.CapturedEnergy(x, f).min().item<double>();
            Assert.True(kept > 0.9, $"{method}: a bad warm start kept only {kept:0.000} of the energy");
        }
    }

    [Theory]
    [InlineData(SplitMethod.Lightweight)]
    [InlineData(SplitMethod.Blocked)]
    public void WarmStartFromPreviousFactorsConvergesInOneIteration(SplitMethod method)
    {
        using var scope = NewDisposeScope();
        Tensor x = Synthetic.LowRankPlusNoise(4, 32, 8, 8, rank: 6, noise: 0.1, seed: 21);
        using LowRankFactors exact = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = 4, Method = SplitMethod.Exact });
        using LowRankFactors first = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = 4, Method = method });
        Tensor drifted = x + 0.01 * Synthetic.LowRankPlusNoise(4, 32, 8, 8, rank: 6, noise: 0.1, seed: 22);
        var warm = new LowRankSplitOptions { Rank = 4, Method = method, MaxIterations = 1, InitialV = first.V };
        using LowRankFactors second = LowRankSplit.Split(drifted, warm);
        using LowRankFactors best = LowRankSplit.Split(drifted, new LowRankSplitOptions { Rank = 4, Method = SplitMethod.Exact });
        Tensor relative = LowRankSplit.CapturedEnergy(drifted, second) / LowRankSplit.CapturedEnergy(drifted, best);
        Assert.True(relative.min().item<double>() >= 0.995, $"{method}: warm start kept {relative.min().item<double>():0.0000}");
    }

    [Fact]
    public void InputIsNotModified()
    {
        using var scope = NewDisposeScope();
        Tensor x = Synthetic.LowRankPlusNoise(2, 8, 5, 5, rank: 3, noise: 0.1, seed: 8);
        Tensor copy = x.clone();
        foreach (SplitMethod m in Enum.GetValues<SplitMethod>())
            LowRankSplit.Split(x, new LowRankSplitOptions { Rank = 3, Method = m }).Dispose();
        Assert.True((x == copy).all().item<bool>());
    }

    [Fact]
    public void BadInputGivesErrorsThatSayWhatIsWrong()
    {
        using var scope = NewDisposeScope();
        var ok = new LowRankSplitOptions { Rank = 2 };
        Assert.Contains("[B, N, H, W]", Assert.Throws<ArgumentException>(() => LowRankSplit.Split(zeros(2, 3, 4), ok)).Message);
        Assert.Contains("float32 or float64", Assert.Throws<ArgumentException>(() => LowRankSplit.Split(zeros(2, 3, 4, 4, dtype: ScalarType.Int32), ok)).Message);
        Assert.Contains("Rank must be at least 1", Assert.Throws<ArgumentException>(() => LowRankSplit.Split(zeros(2, 3, 4, 4), ok with { Rank = 0 })).Message);
        Assert.Contains("MaxIterations", Assert.Throws<ArgumentException>(() => LowRankSplit.Split(zeros(2, 3, 4, 4), ok with { MaxIterations = 0 })).Message);
        Assert.Contains("InitialV must be [B or 1, r0, H·W] = [2 or 1, r0, 16]",
            Assert.Throws<ArgumentException>(() => LowRankSplit.Split(zeros(2, 3, 4, 4), ok with { InitialV = zeros(2, 2, 15) })).Message);
    }

    [Fact]
    public void ZeroInputGivesZeroFactorsWithoutNaN()
    {
        using var scope = NewDisposeScope();
        Tensor x = zeros(2, 4, 3, 3);
        foreach (SplitMethod m in Enum.GetValues<SplitMethod>())
        {
            using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = 2, Method = m });
            Assert.False(f.U.isnan().any().item<bool>() || f.V.isnan().any().item<bool>() || f.Residual.isnan().any().item<bool>(), $"{m}: NaN");
            Assert.Equal(0, Synthetic.MaxAbs(f.Residual));
        }
    }

    internal static double[] RelativeEnergy(Tensor x, SplitMethod method, int rank, int iterations, WarmStart start = WarmStart.LargestNormRow)
    {
        using var scope = NewDisposeScope();
        using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = rank, Method = method, MaxIterations = iterations, Start = start });
        using LowRankFactors exact = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = rank, Method = SplitMethod.Exact });
        return (LowRankSplit.CapturedEnergy(x, f) / LowRankSplit.CapturedEnergy(x, exact)).data<double>().ToArray();
    }
}
