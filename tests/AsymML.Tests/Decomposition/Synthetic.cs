namespace AsymML.Tests.Decomposition;

/// <summary>Reproducible test matrices (explicit generators: xunit runs classes in parallel).</summary>
internal static class Synthetic
{
    /// <summary>[B, N, H, W] = rank-<paramref name="rank"/> signal with decaying strengths plus Gaussian noise of
    /// std <paramref name="noise"/> relative to the signal's rms.</summary>
    public static Tensor LowRankPlusNoise(int b, int n, int h, int w, int rank, double noise, ulong seed)
    {
        using var g = new Generator(seed);
        using var scope = NewDisposeScope();
        Tensor left = randn(b, n, rank, generator: g);
        Tensor strength = pow(0.6, arange(rank, dtype: ScalarType.Float32)).view(1, 1, rank);
        Tensor right = randn(b, rank, h * w, generator: g);
        Tensor signal = (left * strength).bmm(right);
        Tensor rms = signal.square().mean().sqrt();
        Tensor x = signal + noise * rms * randn(b, n, h * w, generator: g);
        return x.view(b, n, h, w).MoveToOuterDisposeScope();
    }

    /// <summary>[B, N, L] whose singular values are exactly <paramref name="spectrum"/> (random orthonormal bases).</summary>
    public static Tensor WithSpectrum(int b, int n, int l, double[] spectrum, ulong seed)
    {
        using var g = new Generator(seed);
        using var scope = NewDisposeScope();
        int k = spectrum.Length;
        Tensor qa = linalg.qr(randn(b, n, k, dtype: ScalarType.Float64, generator: g)).Q;
        Tensor qb = linalg.qr(randn(b, l, k, dtype: ScalarType.Float64, generator: g)).Q;
        Tensor s = tensor(spectrum, dtype: ScalarType.Float64).view(1, 1, k);
        return (qa * s).bmm(qb.transpose(1, 2)).MoveToOuterDisposeScope();
    }

    public static double MaxAbs(Tensor t) => t.abs().max().item<float>();
}
