using AsymML.Execution;

namespace AsymML.Training;

/// <summary>What classifying a data set found (aggregates, and the predictions: sealed to the data owner when the
/// enclave has a key).</summary>
/// <param name="Model">The checkpoint's network name.</param>
/// <param name="Mode">The mode it ran in.</param>
/// <param name="Epoch">Epochs the checkpoint had been trained for.</param>
/// <param name="Samples">Samples classified.</param>
/// <param name="Loss">Mean cross-entropy over them.</param>
/// <param name="Accuracy">Top-1 accuracy over them (the steps' counts; equals <see cref="EvaluationResult.Accuracy"/>).</param>
/// <param name="Evaluation">The enclave's evaluation: confusion matrix, per-class accuracy, predictions.</param>
/// <param name="Timings">The inference steps' times and boundary bytes, summed.</param>
public sealed record InferenceOutcome(string Model, ExecutionMode Mode, int Epoch, int Samples, double Loss, double Accuracy,
    EvaluationResult Evaluation, StepTimings Timings);
