namespace AsymML.Privacy.Attacks;

/// <summary>How label leakage runs. Immutable.</summary>
/// <param name="Signal">The classifier's gradient or dY of the last split convolution.</param>
/// <param name="BatchSize">Samples per attacked training step.</param>
/// <param name="Steps">Training steps attacked (batches drawn from the training set with the scenario's seed).</param>
public sealed record LabelLeakageOptions(LabelSignal Signal = LabelSignal.ClassifierGradient, int BatchSize = 8, int Steps = 20)
{
    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A step has at least one sample.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Attack at least one step.");
    }
}
