namespace AsymML.Execution.Training;

/// <summary>How long and in what order to train. Immutable.</summary>
/// <param name="Epochs">Epochs to reach (a resumed run counts those already done).</param>
/// <param name="BatchSize">Samples per step (the last batch of an epoch may be smaller).</param>
/// <param name="Seed">Seed of the sample order (and, through the executor's settings, of initial weights and augmentation).</param>
/// <param name="MaxTrainSamples">Train on the first n samples only (quick runs); null for all.</param>
/// <param name="MaxTestSamples">Evaluate on the first n test samples only; null for all.</param>
/// <param name="CheckpointPath">Where to write the checkpoint after each epoch; null for none.</param>
public sealed record TrainingPlan(int Epochs, int BatchSize, long Seed, int? MaxTrainSamples = null, int? MaxTestSamples = null, string? CheckpointPath = null)
{
    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchNorm needs batches of at least 2 samples.");
        if (MaxTrainSamples is < 2) throw new ArgumentOutOfRangeException(nameof(MaxTrainSamples), MaxTrainSamples, "Train on at least 2 samples.");
        if (MaxTestSamples is < 1) throw new ArgumentOutOfRangeException(nameof(MaxTestSamples), MaxTestSamples, "Evaluate at least 1 sample.");
    }
}
