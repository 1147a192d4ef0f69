using AsymML.Data;
using AsymML.Execution;

namespace AsymML.Training;

/// <summary>What a private training run produced.</summary>
/// <param name="History">Figures of every epoch (those of a resumed checkpoint included).</param>
/// <param name="ResumedAfterEpoch">Epochs taken from a checkpoint (0 for a fresh run).</param>
/// <param name="Evaluation">The last test-set evaluation (confusion matrix, predictions); null without a test set.</param>
public sealed record TrainingOutcome(IReadOnlyList<EpochSummary> History, int ResumedAfterEpoch, EvaluationResult? Evaluation);
