using AsymML.Execution;

namespace AsymML.Training;

/// <summary>The training loss became NaN or infinite: the step updated nothing, training stops, and the checkpoint
/// of the last finished epoch (if any) stays as it was.</summary>
public sealed class TrainingDivergedException(int epoch, int step, double loss)
    : ExecutionException($"the training loss became {(double.IsNaN(loss) ? "NaN" : loss.ToString())} at epoch {epoch}, step {step}: lower --lr (this step updated nothing; checkpoints written so far are kept)")
{
    /// <summary>The epoch (1-based) of the step whose loss diverged.</summary>
    public int Epoch => epoch;

    /// <summary>The step (1-based) within the epoch.</summary>
    public int Step => step;
}
