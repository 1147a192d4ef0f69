namespace AsymML.Privacy.Attacks;

/// <summary>Where gradient inversion takes the batch's labels from.</summary>
public enum LabelSource
{
    /// <summary>The true labels, as if known: the strongest attacker (an upper bound on what inversion learns).</summary>
    Known,

    /// <summary>Recovered from the same view by <see cref="LabelRecovery"/>: per sample from dY when the objective
    /// matches output gradients, else as a multiset from the classifier's gradient.</summary>
    Recovered,
}
