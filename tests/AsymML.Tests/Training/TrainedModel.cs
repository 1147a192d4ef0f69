using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Enclave.Sealing;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Sealing;
using AsymML.Training;

namespace AsymML.Tests.Training;

/// <summary>A small model trained once (AsymML, plain data, checkpoint after each epoch) for the inference tests; the
/// training run's own last test evaluation is of the weights the checkpoint holds.</summary>
public sealed class TrainedModel : IDisposable
{
    public const int Side = 8, Classes = 3, BatchSize = 12;
    private readonly TempDir _dir = new();

    public TrainedModel()
    {
        Train = Images(48, seed: 1, brightness: 0);
        Test = Images(21, seed: 2, brightness: 40); // other statistics than the training set's, on purpose
        Spec = ModelZoo.Create(ModelZoo.SmallCnnName, 1, Classes, imageSize: Side);
        CheckpointPath = _dir.File(Checkpoint.FileName);
        var options = new PrivateTrainingOptions(ExecutionMode.Asym, Policy, 0, new OptimizerSettings(LearningRate: 0.05),
            new TrainingPlan(2, BatchSize, 3, CheckpointPath: CheckpointPath));
        Outcome = PrivateTraining.Run(Spec, new PlainDataSource(Train), new PlainDataSource(Test), options);

        KeyFile = _dir.File("owner.key");
        using SealKey key = SealKey.Generate();
        key.Save(KeyFile);
        SealedTrain = _dir.File("train.asymdata");
        SealedTest = _dir.File("test.asymdata");
        SealedDataWriter.Write(Train, SealedTrain, key, chunkSize: 16);
        SealedDataWriter.Write(Test, SealedTest, key, chunkSize: 16);
        // The same run on the sealed sets, with the key: its checkpoint carries the enclave's tag.
        SealedCheckpointPath = _dir.File("sealed-" + Checkpoint.FileName);
        PrivateTraining.Run(Spec, new SealedDataSource(SealedTrain), null, options with
        {
            KeyFile = KeyFile,
            Plan = options.Plan with { CheckpointPath = SealedCheckpointPath },
        });
    }

    /// <summary>The checkpoint of the run on the sealed sets (authenticated by the enclave).</summary>
    public string SealedCheckpointPath { get; }

    public static RankPolicy Policy { get; } = new FixedRankPolicy(1);

    public LabeledImages Train { get; }

    public LabeledImages Test { get; }

    public NetworkSpec Spec { get; }

    public string CheckpointPath { get; }

    public TrainingOutcome Outcome { get; }

    public string KeyFile { get; }

    public string SealedTrain { get; }

    public string SealedTest { get; }

    /// <summary>Three classes told apart by which band of rows is bright.</summary>
    private static LabeledImages Images(int count, int seed, int brightness)
    {
        var random = new Random(seed);
        var pixels = new byte[count * Side * Side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % Classes);
            for (int y = 0; y < Side; y++)
                for (int x = 0; x < Side; x++)
                    pixels[i * Side * Side + y * Side + x] = (byte)((y * Classes / Side == labels[i] ? 150 : 20) + brightness + random.Next(60));
        }
        return new LabeledImages(pixels, labels, count, 1, Side, Side, ["top", "middle", "bottom"]);
    }

    public void Dispose() => _dir.Dispose();
}
