namespace AsymML.Privacy.Attacks;

/// <summary>How gradient inversion runs. Immutable.</summary>
/// <param name="Objective">Cosine (Inverting Gradients) or L2 (DLG).</param>
/// <param name="BatchSize">Samples in the attacked training step.</param>
/// <param name="Iterations">Optimiser steps on the dummy batch.</param>
/// <param name="LearningRate">Adam's initial step size (divided by 10 at 3/8, 5/8 and 7/8 of the iterations).</param>
/// <param name="TotalVariation">Weight of the total-variation prior on the (normalised) dummy; null: 0.01 for
/// <see cref="GradientObjective.Cosine"/>, 0 for <see cref="GradientObjective.L2"/>.</param>
/// <param name="Labels">Known or recovered labels.</param>
/// <param name="MatchOutputGradients">Also match dY of every split convolution, which the host receives per sample
/// (its view beyond the summed gradient a federated-learning server gets); false matches the weight gradients only.</param>
/// <param name="Batches">Training steps attacked (each on the next samples of the training set).</param>
public sealed record GradientInversionOptions(
    GradientObjective Objective = GradientObjective.Cosine,
    int BatchSize = 1,
    int Iterations = 200,
    double LearningRate = 0.1,
    double? TotalVariation = null,
    LabelSource Labels = LabelSource.Known,
    bool MatchOutputGradients = true,
    int Batches = 1)
{
    /// <summary>The prior's weight in force.</summary>
    public double TotalVariationWeight => TotalVariation ?? (Objective == GradientObjective.Cosine ? 0.01 : 0);

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A step has at least one sample.");
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Run at least one iteration.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
        if (TotalVariationWeight < 0 || !double.IsFinite(TotalVariationWeight)) throw new ArgumentOutOfRangeException(nameof(TotalVariation), TotalVariation, "The prior's weight must be finite and ≥ 0.");
        if (Batches < 1) throw new ArgumentOutOfRangeException(nameof(Batches), Batches, "Attack at least one step.");
    }
}
