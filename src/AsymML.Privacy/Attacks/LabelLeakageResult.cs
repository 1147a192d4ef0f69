namespace AsymML.Privacy.Attacks;

/// <summary>A label-recovery attack's result: accuracy from the host's view, from the unprotected gradients, and of
/// guessing.</summary>
/// <param name="Attack">The attack's name.</param>
/// <param name="Target">What the labels were read from and the batch size, e.g. <c>classifier gradient, batch 8</c>.</param>
/// <param name="NoiseRatio">nsr of the run.</param>
/// <param name="Seconds">Wall-clock time.</param>
/// <param name="Accuracy">Share of labels recovered from the host's view (see <paramref name="Scoring"/>).</param>
/// <param name="UnprotectedAccuracy">The same recovery on the gradients computed in the clear.</param>
/// <param name="ChanceAccuracy">Expected accuracy of guessing each label uniformly at random, scored the same way.</param>
/// <param name="Scoring">How a batch is scored: <c>per-sample</c> (label of each position) or <c>multiset</c> (labels of the
/// batch as a bag: matched count / batch size).</param>
/// <param name="Steps">Training steps attacked.</param>
/// <param name="BatchSize">Samples per step.</param>
public sealed record LabelLeakageResult(string Attack, string Target, double NoiseRatio, double Seconds,
    double Accuracy, double UnprotectedAccuracy, double ChanceAccuracy, string Scoring, int Steps, int BatchSize)
    : AttackResult(Attack, Target, NoiseRatio, Seconds)
{
    /// <inheritdoc />
    public override string Metric => "accuracy";

    /// <inheritdoc />
    public override double Figure => Accuracy;

    /// <inheritdoc />
    public override double UpperBound => UnprotectedAccuracy;

    /// <inheritdoc />
    public override double LowerBound => ChanceAccuracy;
}
