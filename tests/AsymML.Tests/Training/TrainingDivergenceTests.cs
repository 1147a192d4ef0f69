using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Session;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training;
using AsymML.Training.InProcess;

using AsymML.Tests.Data;

namespace AsymML.Tests.Training;

/// <summary>A loss that stops being a number stops training with the epoch and step, and no checkpoint is written
/// from it: the weights the enclave holds are those of the last finite step.</summary>
public sealed class TrainingDivergenceTests : IDisposable
{
    private const int Side = 8, Classes = 3;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static LabeledImages Images(int count, int seed) => RandomImages.Make(count, Side, seed);

    private static NetworkSpec Spec() => ModelZoo.Create(ModelZoo.SmallCnnName, 1, Classes, imageSize: Side);

    [Fact]
    public void DivergenceInTheSecondEpochStopsThereAndKeepsTheFirstEpochsCheckpoint()
    {
        NetworkSpec spec = Spec();
        using StateDict initial = StateDict.Initialize(spec, seed: 5);
        // The owner allows learning rates up to an absurd 1e38 (the enclave refuses any above its settings' bound);
        // the host asks for 0.05, then from epoch 2 on for 1e38: the next step's loss overflows for real.
        EnclaveSettings settings = EnclaveSettings.Split(spec, Side, Side, new FixedRankPolicy(1)) with { LearningRateFloor = 1e-40 };
        using var inner = new SplitExecutor(settings, initial, new OptimizerSettings(LearningRate: 1e38));
        inner.Provision(PrivateTrainer.TrainSplit, new PlainDataSource(Images(24, seed: 1)));
        var executor = new ExplodingFrom(inner, explodeAtStep: 3);
        var saved = new List<int>();
        var trainer = new PrivateTrainer(executor, new TrainingPlan(4, 8, 11), "");

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run(24, 0, [], (epoch, _) => saved.Add(epoch)));

        Assert.Equal([1], saved);
        Assert.Equal(2, e.Epoch);
        Assert.Matches(@"^the training loss became (NaN|∞|-?Infinity|[-0-9.E+]+) at epoch 2, step [1-3]: lower --lr", e.Message);
    }

    [Fact]
    public void PrivateTrainingStopsWithTheMessageAndWritesNoCheckpoint()
    {
        string checkpoint = _dir.File(Checkpoint.FileName);
        var options = new PrivateTrainingOptions(ExecutionMode.Asym, new FixedRankPolicy(1), 0, new OptimizerSettings(LearningRate: 1e38),
            new TrainingPlan(2, 8, 11, CheckpointPath: checkpoint), null, null);

        var e = Assert.Throws<TrainingDivergedException>(() =>
            PrivateTraining.Run(Spec(), new PlainDataSource(Images(24, seed: 1)), null, options));

        Assert.Contains("at epoch 1, step", e.Message);
        Assert.Contains("lower --lr", e.Message);
        Assert.False(File.Exists(checkpoint), "no checkpoint from a diverged epoch");
    }

    /// <summary>Passes every call through; sets a learning rate of 0.05 before each training step, and from the given
    /// step on 1e38.</summary>
    private sealed class ExplodingFrom(IExecutor inner, int explodeAtStep) : IExecutor
    {
        private int _steps;

        public ExecutionMode Mode => inner.Mode;
        public StepReport TrainStep(Tensor input, Tensor labels) => inner.TrainStep(input, labels);
        public StepReport Infer(Tensor input, Tensor labels) => inner.Infer(input, labels);
        public StateDict ExportState() => inner.ExportState();
        public int Provision(string split, DataSource source) => inner.Provision(split, source);

        public StepReport TrainStep(string split, long[] indices, long sequence)
        {
            inner.SetLearningRate(++_steps >= explodeAtStep ? 1e38 : 0.05);
            return inner.TrainStep(split, indices, sequence);
        }

        public StepReport Infer(string split, long[] indices) => inner.Infer(split, indices);
        public void SetLearningRate(double learningRate) => inner.SetLearningRate(learningRate);
        public TrainingState ExportTrainingState() => inner.ExportTrainingState();
        public bool ResumeFrom(TrainingState state) => inner.ResumeFrom(state);
        public EvaluationResult Evaluate(string split) => inner.Evaluate(split);
        public void Dispose() { }
    }
}
