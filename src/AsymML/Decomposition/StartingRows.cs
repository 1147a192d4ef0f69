using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>Starting right factors for the iterative splits (warm starts, paper's first channels, largest-norm
/// rows), with the dead-channel guard both methods share.</summary>
internal static class StartingRows
{
    /// <summary>Rows of <paramref name="matrix"/> [B, N, HW] with the largest norms, [B, count, HW].</summary>
    public static Tensor LargestNorm(Tensor matrix, int count)
    {
        long b = matrix.shape[0], hw = matrix.shape[2];
        Tensor norms = matrix.square().sum(2);
        Tensor index = norms.topk(count, dim: 1).indexes;
        return matrix.gather(1, index.unsqueeze(2).expand(b, count, hw));
    }

    /// <summary>Starting row for component <paramref name="i"/> of <paramref name="matrix"/> [B, N, HW] → [B, HW].</summary>
    public static Tensor ForComponent(Tensor matrix, int i, LowRankSplitOptions options)
    {
        long b = matrix.shape[0];
        if (options.InitialV is { } v0 && i < v0.shape[1])
            return v0.select(1, i).to(matrix.dtype).expand(b, -1);
        if (options.Start == WarmStart.FirstChannels)
            return matrix.select(1, i);
        return LargestNorm(matrix, 1).squeeze(1);
    }

    /// <summary>All <paramref name="count"/> starting rows at once, [B, count, HW]: warm start first, then the
    /// configured start for the rest.</summary>
    public static Tensor ForBlock(Tensor matrix, int count, LowRankSplitOptions options)
    {
        long b = matrix.shape[0];
        int fromWarm = options.InitialV is { } v0 ? (int)Math.Min(v0.shape[1], count) : 0;
        var parts = new List<Tensor>();
        if (fromWarm > 0)
            parts.Add(options.InitialV!.narrow(1, 0, fromWarm).to(matrix.dtype).expand(b, -1, -1));
        int rest = count - fromWarm;
        if (rest > 0)
            parts.Add(options.Start == WarmStart.FirstChannels && fromWarm + rest <= matrix.shape[1]
                ? matrix.narrow(1, fromWarm, rest)
                : LargestNorm(matrix, count).narrow(1, fromWarm, rest));
        Tensor start = parts.Count == 1 ? parts[0] : cat(parts, 1);
        return ReplaceDeadRows(matrix, start);
    }

    /// <summary>Replaces all-zero starting rows (dead channels, a zero warm start) by largest-norm rows, so no
    /// component starts from nothing while energy is left. Rows [B, k, HW].</summary>
    public static Tensor ReplaceDeadRows(Tensor matrix, Tensor rows)
    {
        Tensor dead = (rows.square().sum(2) == 0).unsqueeze(2);
        if (!dead.any().item<bool>()) return rows;
        Tensor fallback = LargestNorm(matrix, (int)rows.shape[1]);
        return where(dead, fallback, rows);
    }
}
