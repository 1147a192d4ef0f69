namespace AsymML.Privacy.Attacks;

/// <summary>
/// An attack by the curious host on its real view of a scenario, with its baselines measured in the same run. An
/// audit asks, e.g., <c>new FeatureInversionAttack(options).Run(scenario, "features.3")</c> and reads
/// <see cref="AttackResult.Figure"/> (the attack's SSIM) beside <see cref="AttackResult.UpperBound"/> (unprotected)
/// and <see cref="AttackResult.LowerBound"/> (noise or chance).
/// </summary>
public interface IAttack
{
    /// <summary>The attack's name, as on the command line (<c>feature-inversion</c>, …).</summary>
    string Name { get; }

    /// <summary>Runs the attack on <paramref name="scenario"/>.</summary>
    /// <param name="scenario">Network, weights, split, noise and data.</param>
    /// <param name="target">What to attack: a layer path (feature inversion), or null for the attack's default
    /// (the first split layer; all gradients; the classifier gradient).</param>
    /// <exception cref="ArgumentException">The target does not exist for this attack and scenario.</exception>
    /// <exception cref="Execution.ExecutionException">The real executor refused a step (e.g. a batch of one with BatchNorm).</exception>
    AttackResult Run(AttackScenario scenario, string? target = null);
}
