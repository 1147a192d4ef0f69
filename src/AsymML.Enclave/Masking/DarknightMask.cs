using System.Diagnostics;
using System.Security.Cryptography;
using AsymML.Boundary.Session;
using AsymML.Decomposition;
using static TorchSharp.torch;

namespace AsymML.Enclave.Masking;

/// <summary>
/// DarKnight-style masking (Hashemi, Wang, Annavaram, MICRO 2021) of what a split convolution sends: for each group of
/// g samples of the batch, a fresh secret Haar-random orthogonal matrix Q [(g+2) × (g+2)] and fresh noise tensors
/// ν, ν' from the enclave's generator, and
/// <code>
///   forward   M_j = Σ_b Q[j,b]·X^U_b + Q[j,g]·ν        (g + 2 tensors leave instead of g)
///   backward  D_j = Σ_b Q[j,b]·dY_b  + Q[j,g+1]·ν'
/// </code>
/// Un-mixing is exact by linearity and orthonormal columns (QᵀQ = I): Y_U,b = Σ_j Q[j,b]·conv(M_j, W) and
/// dX_b = Σ_j Q[j,b]·convᵀ(D_j, W); the accelerator's own batch weight gradient Σ_j grad_W(M_j, D_j) is
/// Σ_{b,c} (Σ_j Q[j,b]Q[j,c]) grad_W(·) = Σ_b grad_W(X^U_b, dY_b) exactly, because the data, forward-noise and
/// backward-noise columns are mutually orthogonal — so nothing about the accelerator changes. Orthogonal Q has
/// condition number 1, so un-mixing adds rounding of the mixtures' size only (the noise makes them larger by
/// √(1 + σ²)). Q is built with two passes of Gram–Schmidt on a Gaussian matrix (its data columns are Haar-random in
/// the complement of the noise columns, which are flat: every mixture gets the same share of noise), in float64 in
/// managed code: LAPACK's batched QR is slow with threads here (see BlockPowerSvd).
/// Which samples form a group is their order in the batch (the host chose the batch, so it knows the groups).
/// </summary>
internal sealed class DarknightMask : IDisposable
{
    private readonly Generator _generator;
    private readonly Stopwatch _clock = new();

    public DarknightMask(MaskingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        // The OS's cryptographic source seeds the stream: the host cannot predict Q or the noise.
        long seed = settings.Seed ?? BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
        _generator = new Generator((ulong)seed);
    }

    public MaskingSettings Settings { get; }

    /// <summary>Enclave time spent mixing and un-mixing so far.</summary>
    public TimeSpan Spent => _clock.Elapsed;

    /// <summary>Mixes one layer's residual [B, ...] with fresh coefficients; the returned mixing keeps them for the
    /// layer's backward. Its tensors belong to the caller's dispose scope.</summary>
    public ResidualMixing Mix(Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(residual);
        if (residual.dim() < 2)
            throw new ArgumentException($"residual must be [B, ...]; got {LowRankSplit.Shape(residual.shape)}.", nameof(residual));
        _clock.Start();
        try
        {
            int batch = (int)residual.shape[0], g = Math.Min(Settings.GroupSize, batch);
            // At most two blocks: the full groups (one batched product), then the smaller last group.
            var blocks = new List<ResidualMixing.Block>();
            if (batch / g > 0) blocks.Add(new(batch / g, g, Orthogonal(batch / g, g + 2)));
            if (batch % g > 0) blocks.Add(new(1, batch % g, Orthogonal(1, batch % g + 2)));
            var mixing = new ResidualMixing(this, blocks);
            mixing.MixResidual(residual);
            return mixing;
        }
        finally
        {
            _clock.Stop();
        }
    }

    /// <summary>Times an un-mix or a mix of gradients done by <see cref="ResidualMixing"/>.</summary>
    internal T Timed<T>(Func<T> work)
    {
        _clock.Start();
        try
        {
            return work();
        }
        finally
        {
            _clock.Stop();
        }
    }

    /// <summary>Gaussian noise of <paramref name="shape"/> with standard deviation <paramref name="std"/>.</summary>
    internal Tensor Noise(long[] shape, Tensor std, ScalarType type) => randn(shape, dtype: type, generator: _generator).mul_(std);

    /// <summary><paramref name="count"/> independent Haar-random orthogonal n × n matrices [count, n, n] (columns
    /// orthonormal to float64 rounding), row-major.</summary>
    private double[] Orthogonal(int count, int n)
    {
        using Tensor z = randn([count, n, n], dtype: ScalarType.Float64, generator: _generator);
        double[] all = z.data<double>().ToArray();
        int g = n - 2;
        for (int m = 0; m < count; m++)
        {
            Span<double> a = all.AsSpan(m * n * n, n * n);
            // The noise columns first, flat: |Q[j, g]| = 1/√n for every mixture j, so no mixture carries less than
            // its share of the noise (a Haar column has entries near 0 now and then, and that mixture would leave
            // nearly clean: measured, a correlation of 0.84 with one sample's residual). The backward noise column
            // is flat too when n is even (signs that agree with the first on a random half); else Haar in the
            // complement. Gram–Schmidt then keeps them and makes the data columns orthogonal to both.
            var order = new double[n];
            for (int i = 0; i < n; i++) order[i] = a[i * n + 1];
            int[] rank = Enumerable.Range(0, n).ToArray();
            Array.Sort(order, rank); // a random permutation: rank[k] is the position of the k-th smallest
            var agree = new bool[n];
            for (int k = 0; k < n / 2; k++) agree[rank[k]] = true;
            for (int i = 0; i < n; i++)
            {
                double sign = a[i * n] >= 0 ? 1 : -1;
                a[i * n] = sign;
                if (n % 2 == 0) a[i * n + 1] = agree[i] ? sign : -sign;
            }
            GramSchmidt(a, n);
            // Columns 0 and 1 are the noise columns: move them to g and g + 1, where the mixing expects them.
            for (int i = 0; i < n; i++)
            {
                double forward = a[i * n], backward = a[i * n + 1];
                for (int j = 0; j < g; j++) a[i * n + j] = a[i * n + j + 2];
                (a[i * n + g], a[i * n + g + 1]) = (forward, backward);
            }
        }
        return all;
    }

    /// <summary>Orthonormalises the columns of the row-major n × n matrix <paramref name="a"/> in place.</summary>
    private static void GramSchmidt(Span<double> a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            for (int pass = 0; pass < 2; pass++) // "twice is enough": orthogonal to rounding whatever the input
                for (int k = 0; k < j; k++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += a[i * n + k] * a[i * n + j];
                    for (int i = 0; i < n; i++) a[i * n + j] -= dot * a[i * n + k];
                }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += a[i * n + j] * a[i * n + j];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) a[i * n + j] /= norm;
        }
    }

    public void Dispose() => _generator.Dispose();
}
