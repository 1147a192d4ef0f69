namespace AsymML.DifferentialPrivacy;

/// <summary>An (ε, δ) guarantee and the RDP order that gave it.</summary>
/// <param name="Epsilon">ε ≥ 0 (+∞ when no order gives a finite bound).</param>
/// <param name="Delta">δ.</param>
/// <param name="Order">The RDP order α of the minimum (NaN when none applies, e.g. nothing was released).</param>
public sealed record PrivacySpent(double Epsilon, double Delta, double Order);
