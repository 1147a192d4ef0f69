using AsymML.Execution;

namespace AsymML.Training;

/// <summary>
/// One call from a trained model to its figures on a data set: loads the checkpoint, makes the executor of the
/// chosen mode with <see cref="Executors"/>, gives it the data (sealed sets are opened by the enclave only), runs
/// inference steps over the set in order and asks the enclave for its evaluation.
/// </summary>
public static class PrivateInference
{
    /// <summary>Classifies <see cref="PrivateInferenceOptions.Data"/> with the model in
    /// <see cref="PrivateInferenceOptions.Checkpoint"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="FileNotFoundException">No checkpoint there.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is corrupt.</exception>
    /// <exception cref="ExecutionException">The data was refused, or a step failed.</exception>
    public static InferenceOutcome Run(PrivateInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using Checkpoint checkpoint = Checkpoint.Load(options.Checkpoint);
        DataSource data = Executors.ForMode(options.Mode, options.Data, options.KeyFile);
        using IExecutor executor = Executors.Create(checkpoint.Spec, data.ImageSize, null, options.ToExecutorOptions());
        // The enclave checks the checkpoint's tag (weights alone: the optimizer state is not needed to classify).
        using (var state = new TrainingState(checkpoint.State.Clone(), [], checkpoint.Tag))
            executor.ResumeFrom(state);
        // Provisioned first, under the training split's name, only so that its statistics normalise the inputs.
        if (options.NormalizationData is DataSource statistics)
            executor.Provision(PrivateTrainer.TrainSplit, Executors.ForMode(options.Mode, statistics, options.KeyFile));
        // The test split's name: the enclave seals the predictions as "predictions of test", what asymml unseal expects.
        int count = executor.Provision(PrivateTrainer.TestSplit, data);
        int n = Math.Min(count, options.MaxSamples ?? int.MaxValue);
        Pass pass = Classify(executor, PrivateTrainer.TestSplit, n, options.BatchSize);
        return new InferenceOutcome(checkpoint.Spec.Name, options.Mode, checkpoint.Epoch, n, pass.Loss, pass.Accuracy, pass.Evaluation, pass.Timings);
    }

    /// <summary>Inference steps over samples 0 … <paramref name="count"/> − 1 of <paramref name="split"/> in order,
    /// then the enclave's evaluation of them. The trainer's test pass is this too, so both report the same figures.</summary>
    internal static Pass Classify(IExecutor executor, string split, int count, int batchSize)
    {
        double lossSum = 0, wall = 0, enclave = 0, accelerator = 0, boundary = 0;
        long correct = 0, bytes = 0;
        for (int start = 0; start < count; start += batchSize)
        {
            long[] indices = Enumerable.Range(start, Math.Min(batchSize, count - start)).Select(i => (long)i).ToArray();
            StepReport r = executor.Infer(split, indices);
            lossSum += r.Loss * r.BatchSize;
            correct += r.Correct;
            wall += r.Timings.Wall;
            enclave += r.Timings.Enclave;
            accelerator += r.Timings.Accelerator;
            boundary += r.Timings.Boundary;
            bytes += r.Timings.BoundaryBytes;
        }
        return new Pass(lossSum / count, (double)correct / count, executor.Evaluate(split), new StepTimings(wall, enclave, accelerator, boundary, bytes));
    }

    /// <summary>The figures of one pass of <see cref="Classify"/>.</summary>
    internal sealed record Pass(double Loss, double Accuracy, EvaluationResult Evaluation, StepTimings Timings);
}
