using AsymML.Boundary.Session;
using AsymML.Decomposition;
using static TorchSharp.torch;

namespace AsymML.Enclave;

/// <summary>
/// The Gaussian mechanism on residuals (see <see cref="ResidualPrivacySettings"/>): per sample, X^U_b is clipped to
/// L2 norm C_l and N(0, (σ·C_l)²) noise from <see cref="CryptoNormal"/> is added before it leaves. C_l is fixed by the
/// settings, or calibrated once per layer from the first batch the layer sees (a quantile of its per-sample residual
/// norms; that one scalar per layer is itself a function of private data and is not covered by the guarantee). Counts
/// the releases of the running step so the runtime can charge them to each sample (<see cref="ResidualLedger"/>).
/// </summary>
internal sealed class ResidualMechanism : IDisposable
{
    private readonly CryptoNormal _normal;
    private readonly Dictionary<string, double> _clip = new(StringComparer.Ordinal);

    public ResidualMechanism(ResidualPrivacySettings settings, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _normal = new CryptoNormal(seed);
    }

    public ResidualPrivacySettings Settings { get; }

    /// <summary>The clipping norm of each layer that has released anything (fixed or calibrated).</summary>
    public IReadOnlyDictionary<string, double> ClipNorms => _clip;

    /// <summary>Residual releases (one per split layer forward) since <see cref="TakeStepReleases"/> was last called.</summary>
    public int StepReleases { get; private set; }

    /// <summary>Returns the released tensor clip(X^U_b, C) + N(0, (σC)²) per sample, a new float tensor of the same shape.</summary>
    public Tensor Apply(string layer, Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(residual);
        if (residual.dim() < 2)
            throw new ArgumentException($"residual must be [B, ...]; got {LowRankSplit.Shape(residual.shape)}.", nameof(residual));
        using var scope = NewDisposeScope();
        var perSample = new long[residual.dim()];
        Array.Fill(perSample, 1L);
        perSample[0] = residual.shape[0];
        Tensor norms = residual.flatten(1).to(ScalarType.Float64).square().sum([1L]).sqrt(); // [B], in float64
        if (!_clip.TryGetValue(layer, out double clip))
        {
            clip = Settings.ClipNorm ?? Math.Max(Quantile(norms, Settings.ClipQuantile), 1e-12);
            _clip[layer] = clip;
        }
        Tensor scale = (clip / norms.clamp_min(1e-30)).clamp_max(1).to(residual.dtype).view(perSample);
        Tensor clipped = residual * scale;
        var noise = new float[clipped.NumberOfElements];
        _normal.Fill(noise, Settings.NoiseMultiplier * clip);
        Tensor released = clipped.add_(tensor(noise, clipped.shape).to(clipped.dtype));
        StepReleases++;
        return released.MoveToOuterDisposeScope();
    }

    /// <summary>The releases of the step that just ended; resets the count.</summary>
    public int TakeStepReleases()
    {
        int n = StepReleases;
        StepReleases = 0;
        return n;
    }

    /// <summary>The <paramref name="q"/> quantile of <paramref name="values"/> (linear interpolation between order statistics).</summary>
    internal static double Quantile(Tensor values, double q)
    {
        double[] sorted = values.to(ScalarType.Float64).data<double>().ToArray();
        Array.Sort(sorted);
        double at = q * (sorted.Length - 1);
        int low = (int)Math.Floor(at), high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (at - low) * (sorted[high] - sorted[low]);
    }

    public void Dispose() => _normal.Dispose();
}
