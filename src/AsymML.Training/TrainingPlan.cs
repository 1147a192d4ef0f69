using AsymML.Execution;

namespace AsymML.Training;

/// <summary>How long and in what order to train. Immutable.</summary>
/// <param name="Epochs">Epochs to reach (a resumed run counts those already done).</param>
/// <param name="BatchSize">Samples per step (the last batch of an epoch may be smaller).</param>
/// <param name="Seed">Seed of the sample order (and, through the executor's settings, of initial weights and augmentation).</param>
/// <param name="MaxTrainSamples">Train on the first n samples only (quick runs); null for all.</param>
/// <param name="MaxTestSamples">Evaluate on the first n test samples only; null for all.</param>
/// <param name="CheckpointPath">Where to write the checkpoint after each epoch; null for none.</param>
/// <param name="CosineFromLearningRate">If set, the learning rate follows a cosine from this value at the first step
/// to 0 after the last step of <see cref="Epochs"/> (set before every step, so a resumed run follows the same
/// curve); null keeps the optimizer's rate.</param>
public sealed record TrainingPlan(int Epochs, int BatchSize, long Seed, int? MaxTrainSamples = null, int? MaxTestSamples = null,
    string? CheckpointPath = null, double? CosineFromLearningRate = null)
{
    /// <summary>The cosine schedule's rate at step <paramref name="step"/> of <paramref name="totalSteps"/> (0-based).</summary>
    public static double Cosine(double start, long step, long totalSteps) => start * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps));

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchNorm needs batches of at least 2 samples.");
        if (MaxTrainSamples is < 2) throw new ArgumentOutOfRangeException(nameof(MaxTrainSamples), MaxTrainSamples, "Train on at least 2 samples.");
        if (MaxTestSamples is < 1) throw new ArgumentOutOfRangeException(nameof(MaxTestSamples), MaxTestSamples, "Evaluate at least 1 sample.");
        if (CosineFromLearningRate is double lr && !(lr > 0)) throw new ArgumentOutOfRangeException(nameof(CosineFromLearningRate), lr, "The learning rate must be positive.");
    }
}
