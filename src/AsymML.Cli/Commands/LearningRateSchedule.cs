namespace AsymML.Cli.Commands;

/// <summary>The values of <c>asymml train --schedule</c>.</summary>
internal enum LearningRateSchedule
{
    /// <summary>From <c>--lr</c> to 0 over the planned epochs (see <see cref="Training.TrainingPlan.CosineFromLearningRate"/>).</summary>
    Cosine,

    /// <summary><c>--lr</c> throughout.</summary>
    Constant,
}
