using System.Diagnostics;
using AsymML.Data;

using AsymML.Execution;

namespace AsymML.Training;

/// <summary>
/// Trains through any <see cref="IExecutor"/> on data sets it holds as "train" and "test": the host shuffles sample
/// positions (it never sees content), the executor's enclave makes, augments and runs the batches, and only
/// aggregate figures come back. After each epoch it evaluates on the test set and, if asked, writes a
/// <see cref="Checkpoint"/>; started from a checkpoint it continues exactly where that run stopped (same order of
/// samples, same augmentation, same optimizer state), so the result equals an uninterrupted run's.
/// </summary>
public sealed class PrivateTrainer(IExecutor executor, TrainingPlan plan, string fingerprint)
{
    /// <summary>Name of the training set inside the executor.</summary>
    public const string TrainSplit = "train";

    /// <summary>Name of the test set inside the executor.</summary>
    public const string TestSplit = "test";

    /// <summary>Runs epochs <paramref name="history"/>.Count + 1 … <see cref="TrainingPlan.Epochs"/>.</summary>
    /// <param name="trainCount">Samples of the provisioned training set.</param>
    /// <param name="testCount">Samples of the provisioned test set; 0 for none.</param>
    /// <param name="history">Epochs already done (from a checkpoint), or empty.</param>
    /// <param name="saveCheckpoint">Called after each epoch with its number and the history so far (writes the checkpoint).</param>
    /// <param name="progress">Receives a report after each step.</param>
    /// <returns>All epochs, the earlier ones included.</returns>
    public IReadOnlyList<EpochSummary> Run(int trainCount, int testCount, IReadOnlyList<EpochSummary> history,
        Action<int, IReadOnlyList<EpochSummary>>? saveCheckpoint = null, IProgress<TrainingProgress>? progress = null)
    {
        plan.Validate();
        int n = Math.Min(trainCount, plan.MaxTrainSamples ?? int.MaxValue);
        int steps = (n + plan.BatchSize - 1) / plan.BatchSize;
        if (n % plan.BatchSize == 1) steps--; // a last batch of one sample would break BatchNorm: drop it
        var done = history.ToList();
        for (int epoch = done.Count + 1; epoch <= plan.Epochs; epoch++)
        {
            long[] order = Order(n, epoch);
            double lossSum = 0, enclave = 0, accelerator = 0, boundary = 0;
            long correct = 0, seen = 0, bytes = 0, peak = 0, releases = 0;
            double epsilon = double.NaN;
            var clock = Stopwatch.StartNew();
            TrainingProgress? last = null;
            for (int step = 0; step < steps; step++)
            {
                int first = step * plan.BatchSize;
                long[] indices = order[first..Math.Min(first + plan.BatchSize, n)];
                long sequence = (long)(epoch - 1) * steps + step;
                if (plan.CosineFromLearningRate is double start)
                    executor.SetLearningRate(Math.Max(TrainingPlan.Cosine(start, sequence, (long)plan.Epochs * steps), start * 1e-3));
                StepReport r = executor.TrainStep(TrainSplit, indices, sequence);
                if (!double.IsFinite(r.Loss))
                    throw new TrainingDivergedException(epoch, step + 1, r.Loss);
                lossSum += r.Loss * r.BatchSize;
                correct += r.Correct;
                seen += r.BatchSize;
                enclave += r.Timings.Enclave;
                accelerator += r.Timings.Accelerator;
                boundary += r.Timings.Boundary;
                bytes += r.Timings.BoundaryBytes;
                peak = Math.Max(peak, r.EnclavePeakBytes);
                (epsilon, releases) = (r.ResidualEpsilon, r.MaxResidualReleases);
                last = new TrainingProgress(epoch, plan.Epochs, step + 1, steps, lossSum / seen, (double)correct / seen,
                    seen / clock.Elapsed.TotalSeconds, enclave, accelerator, boundary);
                progress?.Report(last);
            }
            double seconds = clock.Elapsed.TotalSeconds;
            if (testCount > 0 && last is not null) progress?.Report(last with { Evaluating = true });
            (double testLoss, double testAccuracy) = testCount > 0 ? Test(testCount).Figures : (double.NaN, double.NaN);
            done.Add(new EpochSummary(epoch, lossSum / seen, (double)correct / seen, testLoss, testAccuracy, seconds, enclave, accelerator, boundary, bytes, peak,
                epsilon, releases));
            saveCheckpoint?.Invoke(epoch, done);
        }
        return done;
    }

    /// <summary>Inference over the test set in order: mean loss and accuracy, and the enclave's evaluation
    /// (confusion matrix; predictions sealed to the data owner when it has a key).</summary>
    public ((double Loss, double Accuracy) Figures, EvaluationResult Evaluation) Test(int testCount)
    {
        int n = Math.Min(testCount, plan.MaxTestSamples ?? int.MaxValue);
        PrivateInference.Pass pass = PrivateInference.Classify(executor, TestSplit, n, plan.BatchSize);
        LastEvaluation = pass.Evaluation;
        return ((pass.Loss, pass.Accuracy), LastEvaluation);
    }

    /// <summary>The evaluation of the last test pass; null before one ran.</summary>
    public EvaluationResult? LastEvaluation { get; private set; }

    /// <summary>The fingerprint this trainer checks checkpoints against.</summary>
    public string Fingerprint => fingerprint;

    /// <summary>The sample order of <paramref name="epoch"/>: a permutation from the plan's seed and the epoch alone.</summary>
    private long[] Order(int n, int epoch)
    {
        long[] order = new long[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Seeded System.Random is stable across runs and platforms (HashCode is not: it is salted per process).
        new Random(unchecked((int)(plan.Seed * 1_000_003 + epoch * 7919))).Shuffle(order);
        return order;
    }
}
