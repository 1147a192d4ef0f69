using static TorchSharp.torch;

namespace AsymML.Benchmarks;

/// <summary>Deterministic synthetic convolution inputs: a low-rank signal with decaying strengths plus noise.</summary>
public static class SyntheticData
{
    /// <summary>Rank of the planted signal.</summary>
    public const int SignalRank = 8;

    /// <summary>Ratio of component strengths: component j has strength <c>Decay^j</c>.</summary>
    public const double Decay = 0.7;

    /// <summary>Noise standard deviation relative to the signal's rms (per sample).</summary>
    public const double NoiseRatio = 0.2;

    /// <summary>
    /// X [B, N, side, side] float32: per sample, Σ_j Decay^j a_j c_jᵀ (a_j ∈ R^N, c_j ∈ R^HW Gaussian, j &lt; 8),
    /// scaled to unit rms, plus Gaussian noise of std <see cref="NoiseRatio"/>. Seeded from (N, side), so every
    /// method and every run sees the same tensor for a given shape.
    /// </summary>
    public static Tensor LowRankPlusNoise(int batch, int channels, int side)
    {
        using var scope = NewDisposeScope();
        long hw = (long)side * side;
        using var generator = new Generator((ulong)(1_000_003L * channels + side));
        Tensor a = randn(new long[] { batch, channels, SignalRank }, generator: generator);
        Tensor c = randn(new long[] { batch, SignalRank, hw }, generator: generator);
        var strengths = new float[SignalRank];
        for (int j = 0; j < SignalRank; j++) strengths[j] = (float)Math.Pow(Decay, j);
        Tensor signal = (a * tensor(strengths).view(1, 1, SignalRank)).bmm(c);
        Tensor rms = signal.square().mean(new long[] { 1, 2 }, keepdim: true).sqrt();
        Tensor noise = randn(new long[] { batch, channels, hw }, generator: generator);
        Tensor x = (signal / rms).add_(noise, alpha: NoiseRatio);
        return x.view(batch, channels, side, side).contiguous().MoveToOuterDisposeScope();
    }
}
