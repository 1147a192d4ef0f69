using AsymML.Boundary.Session;
using AsymML.DifferentialPrivacy;

namespace AsymML.Enclave;

/// <summary>
/// The enclave's privacy accountant for the residual mechanism. Every release of an image's residual (one per split
/// layer per step that image is in) is a Gaussian mechanism of noise multiplier z = σ/2 with respect to that image
/// (replace-one: the clipped residual moves by at most 2C). The host chooses the batches, so no amplification by
/// sampling is claimed: each image's releases compose fully, and a host that sends the same image again and again
/// is charged for every time. The ledger counts releases per image (per data set and index; a batch provisioned by
/// the host counts per position), and reports the worst image's (ε, δ) by Rényi-DP composition (q = 1) with the
/// conversion of Balle et al. 2020; the exact Gaussian curve for the same count is <see cref="ExactEpsilon"/>.
/// </summary>
internal sealed class ResidualLedger(ResidualPrivacySettings settings)
{
    private readonly Dictionary<string, Dictionary<long, long>> _releases = new(StringComparer.Ordinal);

    /// <summary>The settings the ledger accounts for.</summary>
    public ResidualPrivacySettings Settings { get; } = settings;

    /// <summary>Noise multiplier of one release with respect to one image: σ·C / (2C).</summary>
    public double NoiseMultiplierPerRelease => Settings.NoiseMultiplier / 2;

    /// <summary>The most releases charged to any one image so far.</summary>
    public long MaxReleases { get; private set; }

    /// <summary>Charges <paramref name="releases"/> releases to each of <paramref name="indices"/> of <paramref name="split"/>.</summary>
    public void Charge(string split, IEnumerable<long> indices, int releases)
    {
        if (releases == 0) return;
        if (!_releases.TryGetValue(split, out Dictionary<long, long>? counts)) _releases[split] = counts = [];
        foreach (long i in indices)
        {
            long n = counts.GetValueOrDefault(i) + releases;
            counts[i] = n;
            if (n > MaxReleases) MaxReleases = n;
        }
    }

    /// <summary>ε at the settings' δ for the worst image (Rényi DP, Balle et al. 2020 conversion); 0 before any release.</summary>
    public double Epsilon => EpsilonOf(MaxReleases);

    /// <summary>ε of <paramref name="releases"/> composed releases by Rényi DP.</summary>
    public double EpsilonOf(long releases) => releases == 0
        ? 0
        : new RdpAccountant().Compose(1, NoiseMultiplierPerRelease, releases).GetPrivacySpent(Settings.Delta).Epsilon;

    /// <summary>The exact ε of the same composition (Gaussian DP, Balle and Wang's curve): never above <see cref="Epsilon"/>.</summary>
    public double ExactEpsilon => MaxReleases == 0 ? 0 : GaussianDp.Epsilon(GaussianDp.Mu(NoiseMultiplierPerRelease, MaxReleases), Settings.Delta);
}
