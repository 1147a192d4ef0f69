using static TorchSharp.torch;

namespace AsymML.Enclave.Masking;

/// <summary>
/// One split convolution's mixing in one step (see <see cref="DarknightMask"/>): the coefficients, the mixed residual
/// that leaves, and the operations that need the same coefficients later — un-mixing Y_U, mixing dY, un-mixing dX.
/// The coefficients are kept as managed arrays (a few hundred numbers) and made into tensors where they are used:
/// the mixing outlives the forward's dispose scopes (autograd keeps it for backward) and needs no disposal, so an
/// inference step that never runs backward leaks nothing. Nothing here leaves the enclave but <see cref="Mixed"/>
/// and the result of <see cref="MixOutputGradient"/>.
/// </summary>
internal sealed class ResidualMixing
{
    /// <summary><paramref name="Count"/> consecutive groups of <paramref name="Size"/> samples, each with its own
    /// orthogonal matrix: <paramref name="Values"/> holds [Count, Size + 2, Size + 2] row-major, float64.</summary>
    internal sealed record Block(int Count, int Size, double[] Values)
    {
        /// <summary>The matrices as a tensor [Count, Size + 2, Size + 2] of <paramref name="type"/>, in the caller's scope.</summary>
        public Tensor Q(ScalarType type) => tensor(Values, [Count, Size + 2, Size + 2], ScalarType.Float64).to(type);
    }

    private readonly DarknightMask _mask;
    private readonly IReadOnlyList<Block> _blocks;

    internal ResidualMixing(DarknightMask mask, IReadOnlyList<Block> blocks)
    {
        (_mask, _blocks) = (mask, blocks);
        Samples = blocks.Sum(b => b.Count * b.Size);
        Mixtures = blocks.Sum(b => b.Count * (b.Size + 2));
    }

    /// <summary>B: samples of the batch.</summary>
    public int Samples { get; }

    /// <summary>K = Σ (g + 2) over groups: tensors the host receives instead of B.</summary>
    public int Mixtures { get; }

    /// <summary>The mixed residual [K, ...] that leaves; set by <see cref="MixResidual"/>.</summary>
    public Tensor Mixed { get; private set; } = null!;

    /// <summary>Tests only (trusted): the coefficient matrices, block by block.</summary>
    internal IReadOnlyList<Block> Blocks => _blocks;

    /// <summary>The shape of <paramref name="shape"/>'s mixed form: K in place of B.</summary>
    public long[] MixedShape(long[] shape) => [Mixtures, .. shape[1..]];

    internal void MixResidual(Tensor residual) => Mixed = Combine(residual, noiseColumn: 0);

    /// <summary>D [K, ...] from dY [B, ...]: the same coefficients, the backward noise column.</summary>
    public Tensor MixOutputGradient(Tensor outputGradient) => _mask.Timed(() => Combine(outputGradient, noiseColumn: 1));

    /// <summary>Y_U [B, ...] from the accelerator's conv(M, W) [K, ...].</summary>
    public Tensor UnmixOutput(Tensor mixedOutput) => _mask.Timed(() => Separate(mixedOutput));

    /// <summary>dX [B, ...] from the accelerator's convᵀ(D, W) [K, ...].</summary>
    public Tensor UnmixInputGradient(Tensor mixedInputGradient) => _mask.Timed(() => Separate(mixedInputGradient));

    /// <summary>Per group: Q[:, :g]·x_group + Q[:, g + column]·ν, ν Gaussian with std σ·‖x_group‖/√P, so the noise's
    /// expected energy in each mixture is σ² times the data's (E Q[j,b]² = 1/(g+2) for every column).</summary>
    private Tensor Combine(Tensor x, int noiseColumn)
    {
        if (x.shape[0] != Samples)
            throw new ArgumentException($"The mixing was made for {Samples} samples, not {x.shape[0]}.", nameof(x));
        using var scope = NewDisposeScope();
        long p = x.NumberOfElements / Samples;
        Tensor flat = x.detach().reshape(Samples, p);
        var parts = new List<Tensor>();
        int at = 0;
        foreach (Block b in _blocks)
        {
            Tensor groups = flat.narrow(0, at, b.Count * b.Size).view(b.Count, b.Size, p);
            Tensor q = b.Q(x.dtype);
            Tensor mixed = q.narrow(2, 0, b.Size).bmm(groups); // [count, g + 2, P]
            double sigma = _mask.Settings.NoiseRatio;
            if (sigma > 0)
            {
                Tensor std = groups.square().sum([1L, 2L], keepdim: true).div_(p).sqrt_().mul_(sigma); // [count, 1, 1]
                Tensor noise = _mask.Noise([b.Count, 1, p], std, x.dtype);
                mixed.add_(q.narrow(2, b.Size + noiseColumn, 1).mul(noise)); // [count, g+2, 1] · [count, 1, P]
            }
            parts.Add(mixed.view(b.Count * (b.Size + 2), p));
            at += b.Count * b.Size;
        }
        return cat(parts, 0).view(MixedShape(x.shape)).MoveToOuterDisposeScope();
    }

    /// <summary>Per group: Q[:, :g]ᵀ·y_group, the exact inverse on the data columns.</summary>
    private Tensor Separate(Tensor y)
    {
        if (y.shape[0] != Mixtures)
            throw new ArgumentException($"The mixing has {Mixtures} mixtures, not {y.shape[0]}.", nameof(y));
        using var scope = NewDisposeScope();
        long p = y.NumberOfElements / Mixtures;
        Tensor flat = y.detach().reshape(Mixtures, p);
        var parts = new List<Tensor>();
        int at = 0;
        foreach (Block b in _blocks)
        {
            Tensor groups = flat.narrow(0, at, b.Count * (b.Size + 2)).view(b.Count, b.Size + 2, p);
            parts.Add(b.Q(y.dtype).narrow(2, 0, b.Size).transpose(1, 2).bmm(groups).view(b.Count * b.Size, p));
            at += b.Count * (b.Size + 2);
        }
        return cat(parts, 0).view([Samples, .. y.shape[1..]]).MoveToOuterDisposeScope();
    }
}
