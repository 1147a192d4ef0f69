using System.Security.Cryptography;
using static TorchSharp.torch;

using AsymML.Decomposition;

namespace AsymML.Enclave;

/// <summary>
/// Masks the residual before it leaves the TEE: X^U + ε with ε ~ N(0, (nsr · rms(X^U_b))²) drawn per sample b,
/// where rms is over all of that sample's elements. <c>nsr</c> is a noise-to-signal ratio of standard deviations
/// (0.05 = noise 5% as large as the residual), not an absolute std as in the authors' code. The noise is not
/// compensated, so the merged convolution is exact only at nsr = 0. The generator is seeded from a
/// cryptographic random source, so the untrusted side cannot predict ε; only tests pass a seed.
/// </summary>
public sealed class NoiseMask : IDisposable
{
    private readonly Generator _generator;

    /// <summary>Creates a mask with ratio <paramref name="nsr"/> ≥ 0; <paramref name="seed"/> only for tests.</summary>
    public NoiseMask(double nsr, long? seed = null)
    {
        if (!(nsr >= 0) || double.IsInfinity(nsr))
            throw new ArgumentOutOfRangeException(nameof(nsr), nsr, "noise-to-signal ratio must be a finite number ≥ 0");
        Ratio = nsr;
        long s = seed ?? BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
        _generator = new Generator((ulong)s);
    }

    /// <summary>nsr: noise std divided by the residual's rms, per sample.</summary>
    public double Ratio { get; }

    /// <summary>Returns X^U + ε as a new tensor ([B, ...], same dtype); X^U is unchanged. At nsr = 0 a copy.</summary>
    public Tensor Apply(Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(residual);
        if (residual.dim() < 2)
            throw new ArgumentException($"residual must be [B, ...]; got {LowRankSplit.Shape(residual.shape)}.", nameof(residual));
        if (Ratio == 0) return residual.clone();
        using var scope = NewDisposeScope();
        var perSample = new long[residual.dim()];
        Array.Fill(perSample, 1L);
        perSample[0] = residual.shape[0];
        Tensor rms = residual.flatten(1).square().mean([1L]).sqrt().view(perSample);
        Tensor noise = randn(residual.shape, dtype: residual.dtype, device: residual.device, generator: _generator);
        return residual.addcmul(noise, rms, Ratio).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => _generator.Dispose();
}
