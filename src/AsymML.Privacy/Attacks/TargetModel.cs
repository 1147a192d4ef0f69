using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training;

namespace AsymML.Privacy.Attacks;

/// <summary>The model under attack: a seeded initialisation, or one trained briefly by the data owner through the real
/// AsymML executor (nsr 0, exact) — the realistic case, since trained features differ from random ones.</summary>
public static class TargetModel
{
    /// <summary>Weights and BatchNorm buffers of <paramref name="spec"/> initialised from <paramref name="seed"/>, then
    /// trained for <paramref name="epochs"/> epochs (0: none) on <paramref name="training"/> with Adam (cosine schedule
    /// from <paramref name="learningRate"/>), batches of <paramref name="batchSize"/>, through the split executor with
    /// <paramref name="policy"/>.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="training">The data owner's training set.</param>
    /// <param name="policy">Ranks of the split the model is trained with.</param>
    /// <param name="epochs">Epochs of training; 0 returns the seeded initialisation.</param>
    /// <param name="seed">Seed of the initial weights and the sample order.</param>
    /// <param name="batchSize">Samples per step.</param>
    /// <param name="learningRate">Adam's initial step size.</param>
    /// <param name="progress">Receives a report after each step.</param>
    /// <param name="history">If given, receives the training epochs' figures (loss, accuracy on the training set).</param>
    /// <exception cref="ExecutionException">A step failed.</exception>
    public static StateDict Prepare(NetworkSpec spec, LabeledImages training, RankPolicy policy, int epochs, long seed,
        int batchSize = 64, double learningRate = 1e-3, IProgress<TrainingProgress>? progress = null, List<EpochSummary>? history = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        StateDict initial = StateDict.Initialize(spec, seed);
        if (epochs == 0) return initial;
        using (initial)
        {
            var options = new ExecutorOptions(ExecutionMode.Asym, policy, new OptimizerSettings(OptimizerKind.Adam, learningRate, 0, false));
            using IExecutor executor = Executors.Create(spec, (training.Rows, training.Cols), initial, options);
            int count = executor.Provision(PrivateTrainer.TrainSplit, new PlainDataSource(training));
            var plan = new TrainingPlan(epochs, batchSize, seed, CosineFromLearningRate: learningRate);
            IReadOnlyList<EpochSummary> done = new PrivateTrainer(executor, plan, "attack target").Run(count, 0, [], progress: progress);
            history?.AddRange(done);
            return executor.ExportState();
        }
    }
}
