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

    /// <summary>Sets the learning rate of the next training steps (a schedule). With an enclave it travels with each
    /// step and the enclave takes it only within the bounds of its own settings.</summary>
    void SetLearningRate(double learningRate);

    /// <summary>Weights, buffers and the optimizer's state (momentum buffers, step counts), with the enclave's tag,
    /// for checkpoints.</summary>
    TrainingState ExportTrainingState();

    /// <summary>Continues from <paramref name="state"/> (an earlier <see cref="ExportTrainingState"/>), before any step.</summary>
    /// <returns>Whether the enclave authenticated it (false without the owner's key, or without an enclave).</returns>
    /// <exception cref="ExecutionException">The enclave refused it (its tag does not verify, or it does not fit).</exception>
    /// <exception cref="InvalidDataException">It does not fit this optimizer (untrusted-only).</exception>
    bool ResumeFrom(TrainingState state);

    /// <summary>Confusion matrix and predictions of the inference steps on <paramref name="split"/> since the last call.</summary>
    EvaluationResult Evaluate(string split);
}
