using static TorchSharp.torch;

namespace AsymML.Execution;

/// <summary>One API for the three ways to run a network (see <see cref="ExecutionMode"/>).</summary>
public interface IExecutor : IDisposable
{
    /// <summary>Which way this executor runs.</summary>
    ExecutionMode Mode { get; }

    /// <summary>Forward, loss, backward and an optimizer step on <paramref name="input"/> [B, C, H, W] with
    /// <paramref name="labels"/> [B] (int64).</summary>
    StepReport TrainStep(Tensor input, Tensor labels);

    /// <summary>Forward only, in evaluation mode.</summary>
    StepReport Infer(Tensor input, Tensor labels);

    /// <summary>The current weights and BatchNorm running statistics (aggregates like the weights; see DESIGN.md).</summary>
    Network.StateDict ExportState();

    /// <summary>Gives the executor a data set named <paramref name="split"/>; steps then name its samples by index.
    /// Sealed data is opened by the enclave only (untrusted-only opens it on the host: it has no enclave).</summary>
    /// <returns>The sample count.</returns>
    /// <exception cref="ExecutionException">The data was refused (the message says which check failed).</exception>
    int Provision(string split, DataSource source);

    /// <summary>A training step on samples <paramref name="indices"/> of <paramref name="split"/>;
    /// <paramref name="sequence"/> keys the augmentation randomness (the batch's position in the run).</summary>
    StepReport TrainStep(string split, long[] indices, long sequence);

    /// <summary>Inference on samples <paramref name="indices"/> of <paramref name="split"/>; predictions are kept
    /// for <see cref="Evaluate"/>.</summary>
    StepReport Infer(string split, long[] indices);

    /// <summary>Sets the optimizer's learning rate (for a schedule; the optimizer runs on the host in every mode).</summary>
    void SetLearningRate(double learningRate);

    /// <summary>The optimizer's state (momentum buffers, step counts), for checkpoints.</summary>
    byte[] ExportOptimizerState();

    /// <summary>Restores an optimizer state saved by <see cref="ExportOptimizerState"/>.</summary>
    /// <exception cref="InvalidDataException">It does not fit this optimizer.</exception>
    void ImportOptimizerState(byte[] state);

    /// <summary>Confusion matrix and predictions of the inference steps on <paramref name="split"/> since the last call.</summary>
    EvaluationResult Evaluate(string split);
}
