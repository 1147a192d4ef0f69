using System.Globalization;

namespace AsymML.Boundary.Session;

/// <summary>
/// DarKnight-style masking of what leaves the enclave at every split convolution (the enclave's
/// <c>Masking/DarknightMask</c>): the batch is cut into groups of <see cref="GroupSize"/> samples, and each group of g
/// residuals leaves as g + 2 random orthogonal combinations of them plus one noise tensor (forward), and its dY as
/// g + 2 combinations with the same coefficients plus another noise tensor (backward). The accelerator convolves
/// whatever batch it receives; the enclave un-mixes Y_U and dX exactly by linearity, and the accelerator's own
/// dW_U = Σ_j grad_W(M_j, D_j) equals Σ_b grad_W(X^U_b, dY_b) because the coefficient columns are orthonormal.
/// </summary>
/// <param name="GroupSize">Samples mixed together (g ≥ 1); the accelerator then convolves (g + 2)/g times as many
/// tensors. The last group of a batch may be smaller.</param>
/// <param name="NoiseRatio">σ ≥ 0: the noise term's expected energy in each mixture divided by the data's (ratio of
/// standard deviations). The enclave's float32 un-mixing error grows about as √(1 + σ²·g).</param>
/// <param name="Seed">Fixed seed of the mixing coefficients and noise, for tests only; null draws it from the OS's
/// cryptographic source (the host must not be able to predict them).</param>
public sealed record MaskingSettings(int GroupSize = 8, double NoiseRatio = 4, long? Seed = null)
{
    /// <summary>The name of the scheme in <c>--mask</c>.</summary>
    public const string SchemeName = "darknight";

    /// <summary>Reads <c>off</c> (null: no masking), <c>darknight</c>, <c>darknight:g</c> or <c>darknight:g:σ</c>.</summary>
    /// <exception cref="FormatException">None of these, or a value out of range; the message says which.</exception>
    public static MaskingSettings? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t is "off" or "none") return null;
        string[] parts = t.Split(':');
        const string usage = "expected off, darknight, darknight:g or darknight:g:σ (g ≥ 1 samples per mixing group, σ ≥ 0 the noise-to-data ratio of each mixture)";
        if (parts[0] != SchemeName || parts.Length > 3)
            throw new FormatException($"'{text}': {usage}.");
        var settings = new MaskingSettings();
        if (parts.Length >= 2)
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int g) || g < 1)
                throw new FormatException($"'{text}': the group size '{parts[1]}' is not an integer ≥ 1; {usage}.");
            settings = settings with { GroupSize = g };
        }
        if (parts.Length == 3)
        {
            if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !(s >= 0) || !double.IsFinite(s))
                throw new FormatException($"'{text}': the noise ratio '{parts[2]}' is not a finite number ≥ 0; {usage}.");
            settings = settings with { NoiseRatio = s };
        }
        return settings;
    }

    /// <summary>The form <see cref="Parse"/> reads back (the seed is not part of it).</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{SchemeName}:{GroupSize}:{NoiseRatio}");

    /// <summary>Throws when a value is out of range (the enclave checks before it uses the settings).</summary>
    public void Validate()
    {
        if (GroupSize < 1) throw new ArgumentOutOfRangeException(nameof(GroupSize), GroupSize, "at least one sample per mixing group");
        if (!(NoiseRatio >= 0) || !double.IsFinite(NoiseRatio))
            throw new ArgumentOutOfRangeException(nameof(NoiseRatio), NoiseRatio, "a finite noise ratio ≥ 0");
    }
}
