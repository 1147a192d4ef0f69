using System.Text;
using AsymML.Accelerator;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Enclave.Sealing;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Sealing;
using AsymML.Training;

namespace AsymML.Tests.Training;

/// <summary>PrivateInference against the two oracles it must agree with: the training run's own evaluation of the same
/// weights, and plain TorchSharp on the checkpoint's weights.</summary>
public sealed class PrivateInferenceTests(TrainedModel model) : IClassFixture<TrainedModel>
{
    [Fact]
    public void EqualsTheTrainersOwnEvaluationOfTheSameCheckpoint()
    {
        InferenceOutcome inference = PrivateInference.Run(new PrivateInferenceOptions(model.CheckpointPath, new PlainDataSource(model.Test),
            ExecutionMode.Asym, TrainedModel.Policy, TrainedModel.BatchSize, NormalizationData: new PlainDataSource(model.Train)));

        EvaluationResult trainer = model.Outcome.Evaluation!;
        EpochSummary last = model.Outcome.History[^1];
        Assert.Equal(trainer.Confusion, inference.Evaluation.Confusion);
        Assert.Equal(trainer.Predictions, inference.Evaluation.Predictions);
        Assert.False(inference.Evaluation.PredictionsSealed);
        Assert.Equal(last.TestAccuracy, inference.Accuracy);
        Assert.Equal(last.TestLoss, inference.Loss, 1e-12); // the same batches through the same loop
        Assert.Equal(inference.Accuracy, inference.Evaluation.Accuracy);
        Assert.Equal((model.Spec.Name, 2, model.Test.Count), (inference.Model, inference.Epoch, inference.Samples));
        Assert.True(inference.Timings.Wall > 0 && inference.Timings.Enclave > 0 && inference.Timings.BoundaryBytes > 0, inference.Timings.ToString());
    }

    [Theory]
    [InlineData(ExecutionMode.Asym, 7)]
    [InlineData(ExecutionMode.TeeOnly, 21)]
    [InlineData(ExecutionMode.UntrustedOnly, 5)]
    public void EveryModeEqualsPlainTorchSharpOnTheCheckpointsWeights(ExecutionMode mode, int batchSize)
    {
        InferenceOutcome inference = PrivateInference.Run(new PrivateInferenceOptions(model.CheckpointPath, new PlainDataSource(model.Test),
            mode, TrainedModel.Policy, batchSize, NormalizationData: new PlainDataSource(model.Train)));

        long[] expected = PlainPredictions(Normalization.FromData(model.Train), model.Test.Count);
        Assert.Equal(expected, Predictions(inference.Evaluation.Predictions));
        Assert.Equal(Correct(expected, model.Test.Count) / (double)model.Test.Count, inference.Accuracy);
        Assert.Equal(inference.Accuracy, inference.Evaluation.Accuracy);
    }

    [Fact]
    public void WithoutNormalizationDataTheEvaluatedSetsOwnStatisticsAreUsed()
    {
        InferenceOutcome inference = PrivateInference.Run(new PrivateInferenceOptions(model.CheckpointPath, new PlainDataSource(model.Test),
            ExecutionMode.Asym, TrainedModel.Policy, MaxSamples: 10));

        // The first 10 samples only, normalised by the statistics of the whole set given (what the enclave holds).
        Assert.Equal(PlainPredictions(Normalization.FromData(model.Test), 10), Predictions(inference.Evaluation.Predictions));
        Assert.Equal(10, inference.Samples);
        Assert.Equal(10, inference.Evaluation.Count);
    }

    [Fact]
    public void SealedDataGivesTheSamePredictionsSealedToTheOwner()
    {
        // The checkpoint of the sealed run (tagged by the enclave); a session without a key takes it too.
        InferenceOutcome plain = PrivateInference.Run(new PrivateInferenceOptions(model.SealedCheckpointPath, new PlainDataSource(model.Test),
            ExecutionMode.Asym, TrainedModel.Policy, NormalizationData: new PlainDataSource(model.Train)));
        InferenceOutcome sealedRun = PrivateInference.Run(new PrivateInferenceOptions(model.SealedCheckpointPath, new SealedDataSource(model.SealedTest),
            ExecutionMode.Asym, TrainedModel.Policy, KeyFile: model.KeyFile, NormalizationData: new SealedDataSource(model.SealedTrain)));

        Assert.True(sealedRun.Evaluation.PredictionsSealed);
        Assert.NotEqual(plain.Evaluation.Predictions, sealedRun.Evaluation.Predictions);
        using SealKey key = SealKey.Load(model.KeyFile);
        // "predictions of test": the purpose asymml unseal opens by default.
        Assert.Equal(plain.Evaluation.Predictions, SealedBlob.Open(sealedRun.Evaluation.Predictions, key, "predictions of test"));
        Assert.Equal(plain.Evaluation.Confusion, sealedRun.Evaluation.Confusion);
    }

    [Fact]
    public void AnUnauthenticatedCheckpointIsRefusedOnSealedData()
    {
        // The plaintext run's checkpoint has no tag: weights the host could have chosen, refused with the owner's key.
        using (Checkpoint plainCheckpoint = Checkpoint.Load(model.CheckpointPath), sealedCheckpoint = Checkpoint.Load(model.SealedCheckpointPath))
        {
            Assert.False(plainCheckpoint.Authenticated);
            Assert.True(sealedCheckpoint.Authenticated);
        }
        var e = Assert.Throws<ExecutionException>(() => PrivateInference.Run(new PrivateInferenceOptions(model.CheckpointPath,
            new SealedDataSource(model.SealedTest), ExecutionMode.Asym, TrainedModel.Policy, KeyFile: model.KeyFile)));
        Assert.Contains("refused LoadState: tag: expected an authenticated state in a session with the data owner's key", e.Message);
    }

    [Fact]
    public void BadOptionsAreRefusedBeforeTheCheckpointIsRead()
    {
        var data = new PlainDataSource(model.Test);
        Assert.Throws<ArgumentOutOfRangeException>(() => PrivateInference.Run(new PrivateInferenceOptions(model.CheckpointPath, data, ExecutionMode.Asym,
            TrainedModel.Policy, BatchSize: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PrivateInference.Run(new PrivateInferenceOptions("/nowhere/at/all", data, ExecutionMode.Asym,
            TrainedModel.Policy, MaxSamples: 0)));
        Assert.Throws<FileNotFoundException>(() => PrivateInference.Run(new PrivateInferenceOptions("/nowhere/at/all", data, ExecutionMode.Asym, TrainedModel.Policy)));
    }

    /// <summary>Plain TorchSharp: the checkpoint's weights in a plain module, evaluation mode, on the first
    /// <paramref name="count"/> test images normalised with <paramref name="normalization"/>.</summary>
    private long[] PlainPredictions(Normalization normalization, int count)
    {
        using var scope = NewDisposeScope();
        using Checkpoint checkpoint = Checkpoint.Load(model.CheckpointPath);
        using var network = new ReferenceNetwork(checkpoint.Spec, checkpoint.State);
        network.eval();
        using var noGrad = no_grad();
        Tensor logits = network.forward(normalization.Apply(model.Test.ToTensor(0, count)));
        return logits.argmax(1).data<long>().ToArray();
    }

    private int Correct(long[] predictions, int count) => Enumerable.Range(0, count).Count(i => predictions[i] == model.Test.Labels[i]);

    /// <summary>The predictions column of the plaintext CSV "index,prediction,label", by index.</summary>
    private static long[] Predictions(byte[] csv)
    {
        string[] lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("index,prediction,label", lines[0]);
        return lines.Skip(1).Select(l => l.Split(',')).OrderBy(f => long.Parse(f[0])).Select(f => long.Parse(f[1])).ToArray();
    }
}
