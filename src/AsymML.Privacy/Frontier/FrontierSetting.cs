using System.Globalization;
using AsymML.Boundary.Session;
using AsymML.Decomposition;

namespace AsymML.Privacy.Frontier;

/// <summary>
/// One point of the privacy/speed/accuracy frontier: a rank policy (with <c>+inside:k</c> for leading layers kept in
/// the TEE) and what protects the residual (nothing, the nsr mask, or the Gaussian mechanism). Text form, as
/// <see cref="Parse"/> reads it: <c>policy[;nsr=x][;dp=σ[;clip=C][;quantile=q]]</c>, e.g. <c>paper</c>,
/// <c>paper;nsr=0.05</c>, <c>paper+inside:2</c>, <c>fixed:8;dp=0.01;quantile=0.5</c>.
/// </summary>
/// <param name="Label">The text the setting was read from (its name in tables).</param>
/// <param name="RankPolicy">Ranks of the split.</param>
/// <param name="NoiseRatio">nsr of the mask (0: none).</param>
/// <param name="ResidualPrivacy">The Gaussian mechanism; null for none.</param>
public sealed record FrontierSetting(string Label, RankPolicy RankPolicy, double NoiseRatio = 0, ResidualPrivacySettings? ResidualPrivacy = null)
{
    /// <summary>Reads a setting (see the type's summary).</summary>
    /// <exception cref="FormatException">An unknown part or a bad value; the message says which.</exception>
    public static FrontierSetting Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new FormatException("An empty frontier setting; expected e.g. 'paper' or 'paper;dp=0.01'.");
        RankPolicy policy = RankPolicy.Parse(parts[0]);
        double nsr = 0, quantile = 0.5;
        double? sigma = null, clip = null;
        foreach (string part in parts[1..])
        {
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part[..eq].Trim(), value = eq < 0 ? "" : part[(eq + 1)..].Trim();
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new FormatException($"Frontier setting '{text}': '{part}' needs a number after '='.");
            switch (key)
            {
                case "nsr": nsr = v; break;
                case "dp": sigma = v; break;
                case "clip": clip = v; break;
                case "quantile": quantile = v; break;
                default: throw new FormatException($"Frontier setting '{text}': unknown part '{key}' (expected nsr, dp, clip, quantile).");
            }
        }
        if ((clip is not null || parts.Any(p => p.StartsWith("quantile", StringComparison.Ordinal))) && sigma is null)
            throw new FormatException($"Frontier setting '{text}': clip and quantile belong to the Gaussian mechanism: add dp=σ.");
        ResidualPrivacySettings? privacy = sigma is double s ? new ResidualPrivacySettings(s, clip, quantile) : null;
        var setting = new FrontierSetting(text.Trim(), policy, nsr, privacy);
        var problems = new List<string>(privacy?.Problems() ?? []);
        if (!(nsr >= 0)) problems.Add($"nsr must be ≥ 0, not {nsr}");
        if (nsr > 0 && privacy is not null) problems.Add("nsr and dp cannot be combined");
        if (problems.Count > 0) throw new FormatException($"Frontier setting '{text}': {string.Join("; ", problems)}.");
        return setting;
    }

    /// <summary>The settings the frontier runs when none are given: today's default, the paper's noise, the rank
    /// schedules (larger ranks early, leading layers inside) and the Gaussian mechanism from weak to strong.</summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        "paper", "paper;nsr=0.05", "paper;nsr=1", "fixed:8", "paper+inside:2", "paper+inside:3",
        "paper;dp=0.003", "paper;dp=0.01", "paper;dp=0.03", "paper;dp=1",
    ];
}
