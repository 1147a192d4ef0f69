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

    /// <summary>The current weights and BatchNorm statistics (a trusted export: in a deployment, sealed to the data owner).</summary>
    Network.StateDict ExportState();
}
