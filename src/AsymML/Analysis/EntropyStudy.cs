using System.Diagnostics;
using AsymML.Decomposition;
using static TorchSharp.torch;

namespace AsymML.Analysis;

/// <summary>
/// Appendix B.1 / Figure 9 of the paper on real images: for each kernel size k, the SVD-channel entropy of every
/// image's N·k² patch-channels (Theorem 3's view of a k × k convolution), and how much energy a rank-r split of
/// those patch matrices keeps with Algorithm 1, the blocked variant and the exact SVD, with their times.
/// </summary>
public static class EntropyStudy
{
    /// <summary>Images per chunk: bounds memory (an 11 × 11 patch matrix of a 28 × 28 image is 121 × 784).</summary>
    public const int ChunkSize = 250;

    /// <summary>Analyses <paramref name="images"/> [B, N, H, W] for each kernel size.</summary>
    /// <param name="images">Float images, e.g. pixels / 255.</param>
    /// <param name="kernels">Odd or even kernel sizes ≥ 1 (padding ⌊k/2⌋, stride 1).</param>
    /// <param name="rank">Rank r of the splits (≥ 1), capped per kernel at min(N·k², positions).</param>
    /// <param name="maxIterations">Iterations of the iterative splits (the paper: 1–2).</param>
    public static EntropyReport Run(Tensor images, IReadOnlyList<int> kernels, int rank, int maxIterations = 2)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(kernels);
        if (images.dim() != 4 || images.shape[0] == 0)
            throw new ArgumentException($"images must be a non-empty [B, N, H, W] batch; got {LowRankSplit.Shape(images.shape)}.", nameof(images));
        if (kernels.Count == 0 || kernels.Any(k => k < 1))
            throw new ArgumentException($"kernel sizes must be at least 1; got [{string.Join(", ", kernels)}].", nameof(kernels));
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        return new EntropyReport((int)images.shape[0], rank, maxIterations,
            kernels.Select(k => AnalyseKernel(images, k, rank, maxIterations)).ToList());
    }

    private static KernelEntropy AnalyseKernel(Tensor images, int k, int rank, int maxIterations)
    {
        long count = images.shape[0];
        var mu = new List<double>((int)count);
        var energy = new double[3][];
        var worst = new[] { double.MaxValue, double.MaxValue, double.MaxValue };
        var ms = new double[3];
        SplitMethod[] methods = [SplitMethod.Lightweight, SplitMethod.Blocked, SplitMethod.Exact];
        for (int m = 0; m < 3; m++) energy[m] = new double[count];
        int used = 0, patchChannels = 0;
        for (long start = 0; start < count; start += ChunkSize)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(ChunkSize, count - start);
            Tensor chunk = images.narrow(0, start, length);
            Tensor patches = PatchChannels.Unfold(chunk, k);
            patchChannels = (int)patches.shape[1];
            long positions = patches.shape[2];
            Tensor asMaps = patches.view(length, patchChannels, 1, positions);
            mu.AddRange(ChannelEntropy.Compute(patches).data<double>().ToArray());

            var kept = new Tensor[3];
            for (int m = 0; m < 3; m++)
            {
                var options = new LowRankSplitOptions { Rank = rank, Method = methods[m], MaxIterations = maxIterations };
                var clock = Stopwatch.StartNew();
                using LowRankFactors factors = LowRankSplit.Split(asMaps, options);
                ms[m] += clock.Elapsed.TotalMilliseconds;
                used = factors.Rank;
                kept[m] = LowRankSplit.CapturedEnergy(asMaps, factors);
                kept[m].data<double>().ToArray().CopyTo(energy[m], start);
            }
            for (int m = 0; m < 3; m++)
                worst[m] = Math.Min(worst[m], (kept[m] / kept[2].clamp_min(1e-300)).min().item<double>());
        }

        double[] sorted = mu.Order().ToArray();
        double mean = sorted.Average();
        double std = Math.Sqrt(sorted.Sum(x => (x - mean) * (x - mean)) / sorted.Length);
        return new KernelEntropy(k, patchChannels, mean, Percentile(sorted, 0.5), std, sorted[0], Percentile(sorted, 0.05),
            Percentile(sorted, 0.95), sorted[^1], ChannelEntropy.PrincipalChannels(mean), used,
            new SplitFigures(energy[0].Average(), energy[1].Average(), energy[2].Average()),
            new SplitFigures(worst[0], worst[1], worst[2]),
            new SplitFigures(ms[0], ms[1], ms[2]), mu.ToArray());
    }

    /// <summary>Linear-interpolated percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        double position = p * (sorted.Length - 1);
        int low = (int)Math.Floor(position), high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
