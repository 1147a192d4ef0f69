using AsymML.Accelerator;
using AsymML.Boundary.Messages;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Execution;

/// <summary>
/// What the executors whose enclave sits behind a channel share (the in-process split executor (AsymML.Training): a thread of this
/// process; <see cref="OutOfProcessExecutor"/>: another process): every operation is a conversation driven by the
/// <see cref="HostStepLoop"/>; this process's <see cref="AcceleratorRuntime"/> convolves, and the weights and the
/// optimizer live in the enclave.
/// </summary>
public abstract class ChannelExecutor : IExecutor
{
    private protected ChannelExecutor()
    {
    }

    /// <summary>The accelerator runtime (this process); set by the subclass's constructor.</summary>
    private protected AcceleratorRuntime AcceleratorRuntime { get; set; } = null!;

    /// <summary>The loop that talks to the enclave; set by the subclass once the channel is up.</summary>
    private protected HostStepLoop Loop { get; set; } = null!;

    /// <inheritdoc />
    public abstract ExecutionMode Mode { get; }

    /// <summary>Throws when the executor can no longer run (subclasses that can be disposed mid-use).</summary>
    private protected virtual void ThrowIfUnusable()
    {
    }

    /// <inheritdoc />
    public StepReport TrainStep(Tensor input, Tensor labels)
    {
        ThrowIfUnusable();
        return Loop.Run(StepKind.Train, input, labels);
    }

    /// <inheritdoc />
    public StepReport Infer(Tensor input, Tensor labels)
    {
        ThrowIfUnusable();
        return Loop.Run(StepKind.Infer, input, labels);
    }

    /// <inheritdoc />
    public int Provision(string split, DataSource source)
    {
        ThrowIfUnusable();
        return Loop.Provision(split, source);
    }

    /// <inheritdoc />
    public StepReport TrainStep(string split, long[] indices, long sequence)
    {
        ThrowIfUnusable();
        return Loop.Run(StepKind.Train, split, indices, sequence);
    }

    /// <inheritdoc />
    public StepReport Infer(string split, long[] indices)
    {
        ThrowIfUnusable();
        return Loop.Run(StepKind.Infer, split, indices, 0);
    }

    /// <inheritdoc />
    public EvaluationResult Evaluate(string split)
    {
        ThrowIfUnusable();
        return Loop.Evaluate(split);
    }

    /// <inheritdoc />
    public StateDict ExportState()
    {
        ThrowIfUnusable();
        return Loop.ExportState();
    }

    /// <inheritdoc />
    public void SetLearningRate(double learningRate)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        Loop.LearningRate = learningRate;
    }

    /// <inheritdoc />
    public TrainingState ExportTrainingState()
    {
        ThrowIfUnusable();
        return Loop.ExportTrainingState();
    }

    /// <inheritdoc />
    public bool ResumeFrom(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ThrowIfUnusable();
        return Loop.ResumeFrom(state);
    }

    /// <inheritdoc />
    public abstract void Dispose();
}
