namespace AsymML.Privacy.Audit;

/// <summary>What an attack achieved on one crossing (SSIM in [−1, 1], 1 = perfect reconstruction).</summary>
/// <param name="AttackSsim">Mean SSIM of the attack's reconstructions of the private input.</param>
/// <param name="BaselineSsim">Mean SSIM of its baseline (e.g. the same attack on an unprotected or a pure-noise view).</param>
public sealed record AttackScores(double AttackSsim, double BaselineSsim);
