using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Enclave → host: what inference on a data set found.</summary>
/// <param name="Split">The data set's name.</param>
/// <param name="Confusion">int64 [K, K]: row = true class, column = predicted class (an aggregate).</param>
/// <param name="Predictions">uint8 [n]: a CSV of sample index, prediction and label — sealed to the data owner's
/// key when the enclave has one (the host cannot read it), plaintext only for plain data the host has seen.</param>
/// <param name="PredictionsSealed">Whether <paramref name="Predictions"/> is sealed.</param>
public sealed record EvaluationReport(string Split, Tensor Confusion, Tensor Predictions, bool PredictionsSealed) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.EvaluationReport;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => [Confusion, Predictions];
}
