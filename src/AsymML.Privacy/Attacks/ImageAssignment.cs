using AsymML.Privacy.Metrics;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// Pairs the reconstructions of a batch with its true images: the weight gradient of a batch is the same whatever the
/// order of its samples, so a reconstruction is scored against the image it matches best — the assignment of largest
/// total SSIM (exact, by dynamic programming over subsets, for batches up to 16; greedy beyond).
/// </summary>
internal static class ImageAssignment
{
    /// <summary>The reconstructions reordered so that row i is paired with true image i.</summary>
    public static Tensor Match(Tensor reconstructions, Tensor truth)
    {
        int n = (int)truth.shape[0];
        if (n == 1) return reconstructions.clone();
        using var scope = NewDisposeScope();
        var ssim = new double[n, n]; // [reconstruction, truth]
        Tensor clamped = reconstructions.detach().clamp(0, 1);
        for (int i = 0; i < n; i++)
        {
            double[] row = Ssim.PerImage(clamped[i].unsqueeze(0).expand_as(truth), truth).data<double>().ToArray();
            for (int j = 0; j < n; j++) ssim[i, j] = row[j];
        }
        int[] owner = n <= 16 ? Exact(ssim, n) : Greedy(ssim, n);
        return reconstructions.index_select(0, tensor(owner.Select(i => (long)i).ToArray())).MoveToOuterDisposeScope();
    }

    /// <summary>owner[j] = the reconstruction paired with truth j, maximising Σ ssim[owner[j], j].</summary>
    private static int[] Exact(double[,] ssim, int n)
    {
        // best[mask] = the best total when truths 0 … popcount(mask) − 1 took the reconstructions in mask.
        int size = 1 << n;
        var best = new double[size];
        var choice = new int[size];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        for (int mask = 0; mask < size; mask++)
        {
            if (double.IsNegativeInfinity(best[mask])) continue;
            int j = System.Numerics.BitOperations.PopCount((uint)mask);
            if (j == n) continue;
            for (int i = 0; i < n; i++)
            {
                if ((mask & (1 << i)) != 0) continue;
                int next = mask | (1 << i);
                double value = best[mask] + ssim[i, j];
                if (value > best[next]) (best[next], choice[next]) = (value, i);
            }
        }
        var owner = new int[n];
        for (int mask = size - 1, j = n - 1; j >= 0; j--)
        {
            owner[j] = choice[mask];
            mask &= ~(1 << choice[mask]);
        }
        return owner;
    }

    private static int[] Greedy(double[,] ssim, int n)
    {
        var owner = new int[n];
        var taken = new bool[n];
        for (int j = 0; j < n; j++)
        {
            int pick = Enumerable.Range(0, n).Where(i => !taken[i]).MaxBy(i => ssim[i, j]);
            taken[pick] = true;
            owner[j] = pick;
        }
        return owner;
    }
}
