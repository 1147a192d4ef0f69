using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AsymML.Enclave;
using AsymML.Enclave.Data;
using AsymML.Network;
using AsymML.Training.InProcess;
using AsymML.Boundary.Session;
using AsymML.Decomposition;

using AsymML.Execution;

namespace AsymML.Training;

/// <summary>
/// One call from a network and data sets to a trained model: builds the executor of the chosen mode, gives it the
/// data (sealed sets are opened by the enclave only), resumes from a checkpoint when asked, trains with
/// <see cref="PrivateTrainer"/> and writes a checkpoint after each epoch.
/// </summary>
public static class PrivateTraining
{
    /// <summary>Trains <paramref name="spec"/> on <paramref name="train"/>, testing on <paramref name="test"/> after each epoch.</summary>
    /// <param name="spec">The network (its input channels must match the data).</param>
    /// <param name="train">Training data.</param>
    /// <param name="test">Test data, or null.</param>
    /// <param name="options">Mode, ranks, noise, optimizer, plan.</param>
    /// <param name="initialState">Starting weights; null initialises from the plan's seed.</param>
    /// <param name="progress">Receives a report after each step.</param>
    /// <param name="epochDone">Called after each epoch (test figures included, checkpoint written).</param>
    /// <exception cref="ExecutionException">A data set was refused, or a step failed.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume is corrupt or from other settings.</exception>
    public static TrainingOutcome Run(NetworkSpec spec, DataSource train, DataSource? test, PrivateTrainingOptions options,
        StateDict? initialState = null, IProgress<TrainingProgress>? progress = null, Action<EpochSummary>? epochDone = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        TrainingPlan plan = options.Plan;
        plan.Validate();
        string fingerprint = Fingerprint(spec, train, options);
        if (options.Resume && (plan.CheckpointPath is not string wanted || !File.Exists(wanted)))
            throw new InvalidDataException($"Nothing to resume: no checkpoint at {plan.CheckpointPath ?? "(no checkpoint path)"}. Run without --resume to start afresh.");
        Checkpoint? resumed = options.Resume ? Checkpoint.Load(plan.CheckpointPath!) : null;
        using (resumed)
        {
            if (resumed is not null && resumed.Fingerprint != fingerprint)
                throw new InvalidDataException($"The checkpoint {plan.CheckpointPath} was made with other settings; resume needs the same model, data, mode, ranks, noise, batch, optimizer and seed.\n  checkpoint: {resumed.Fingerprint}\n  this run:   {fingerprint}");
            // The enclave makes the initial weights from the plan's seed, or resumes from the checkpoint it tagged: the host
            // cannot choose them. An explicit initial state is the caller's (trusted in the in-process emulation).
            using IExecutor executor = Executors.Create(spec, train.ImageSize, resumed is null ? initialState : null, options.ToExecutorOptions());
            if (resumed is not null)
                using (TrainingState state = resumed.ToTrainingState())
                    executor.ResumeFrom(state);
            int trainCount = executor.Provision(PrivateTrainer.TrainSplit, Executors.ForMode(options.Mode, train, options.KeyFile));
            int testCount = test is null ? 0 : executor.Provision(PrivateTrainer.TestSplit, Executors.ForMode(options.Mode, test, options.KeyFile));
            var trainer = new PrivateTrainer(executor, plan, fingerprint);
            IReadOnlyList<EpochSummary> history = trainer.Run(trainCount, testCount, resumed?.History ?? [], (epoch, done) =>
            {
                if (plan.CheckpointPath is string path)
                {
                    using var checkpoint = new Checkpoint(spec, executor.ExportTrainingState(), epoch, fingerprint, done);
                    checkpoint.Save(path);
                }
                epochDone?.Invoke(done[^1]);
            }, progress);
            return new TrainingOutcome(history, resumed?.Epoch ?? 0, trainer.LastEvaluation);
        }
    }

    /// <summary>The settings a resumed run must share with the checkpoint, as readable text plus a hash of the network.</summary>
    public static string Fingerprint(NetworkSpec spec, DataSource train, PrivateTrainingOptions o)
    {
        string network = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(NetworkSpecJson.Serialize(spec, indented: false))))[..16];
        TrainingPlan p = o.Plan;
        // A cosine schedule spans the planned epochs: resuming under another total would follow another curve.
        string schedule = p.CosineFromLearningRate is double lr
            ? string.Create(CultureInfo.InvariantCulture, $"cosine from {lr} over {p.Epochs} epochs")
            : "constant learning rate";
        // Named only when not the default, so checkpoints written before the method was a setting still resume.
        string method = o.SplitMethod == SplitMethod.Blocked ? "" : $"; split-method={o.SplitMethod}";
        return string.Create(CultureInfo.InvariantCulture,
            $"model={spec.Name}#{network}; data={train.Count}x{train.ImageSize.Height}x{train.ImageSize.Width}; mode={o.Mode}; ranks={o.RankPolicy.Name}; nsr={o.NoiseRatio}; " +
            $"optimizer={o.Optimizer}; batch={p.BatchSize}; seed={p.Seed}; max-samples={p.MaxTrainSamples}; augmentation={o.Augmentation}; {schedule}{method}");
    }
}
