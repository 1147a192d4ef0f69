using System.Globalization;

namespace AsymML.Boundary.Session;

/// <summary>How the enclave checks the accelerator's results (Freivalds-style, see the enclave's ResultVerifier).</summary>
/// <param name="Probability">Chance that a given result is checked: 1 checks every one, 0 none.</param>
/// <param name="UnitRoundoff">Unit roundoff u of the accelerator's arithmetic: 2⁻²⁴ for IEEE float32 (set 2⁻¹¹ for a
/// GPU convolving in TF32).</param>
public sealed record VerificationSettings(double Probability = 1, double UnitRoundoff = 5.9604644775390625e-8 /* 2⁻²⁴ */)
{
    /// <summary>Every result is checked.</summary>
    public static VerificationSettings All { get; } = new();

    /// <summary>Nothing is checked (a lying accelerator goes unnoticed).</summary>
    public static VerificationSettings Off { get; } = new(0);

    /// <summary>Reads <c>all</c>, <c>off</c> or <c>sample:p</c> (0 &lt; p ≤ 1).</summary>
    /// <exception cref="FormatException">None of these; the message lists them.</exception>
    public static VerificationSettings Parse(string text)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "all": return All;
            case "off": return Off;
            case var s when s.StartsWith("sample:", StringComparison.Ordinal)
                            && double.TryParse(s["sample:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && p > 0 && p <= 1:
                return new VerificationSettings(p);
            default:
                throw new FormatException($"'{text}': expected all, off or sample:p with 0 < p ≤ 1 (the share of results checked).");
        }
    }

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (!(Probability is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(Probability), Probability, "a probability in [0, 1]");
        if (!(UnitRoundoff is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(UnitRoundoff), UnitRoundoff, "a unit roundoff in (0, 1)");
    }
}
