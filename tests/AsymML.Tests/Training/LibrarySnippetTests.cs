using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Enclave.Sealing;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Tests.Cli;
using AsymML.Training;

namespace AsymML.Tests.Training;

/// <summary>The README's "From C#" snippet, run as written on a small generated Fashion-MNIST-like set (the
/// only changes: the data folder, 8×8 images of 3 classes, one epoch, batch 12).</summary>
public sealed class LibrarySnippetTests : IDisposable
{
    private const int Side = BandImages.Side;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheReadmeSnippetTrainsPrivatelyOnSealedData()
    {
        BandImages.Write(_dir, "train", 60, seed: 1);
        BandImages.Write(_dir, "t10k", 30, seed: 2);
        string data = _dir.Path, keyFile = _dir.File("owner.key"), train = _dir.File("train.asymdata"), test = _dir.File("test.asymdata");

        using (SealKey key = SealKey.Generate())
        {
            key.Save(keyFile);
            SealedDataWriter.Write(FashionMnist.Load("train", data), train, key);
            SealedDataWriter.Write(FashionMnist.Load("test", data), test, key);
        }
        NetworkSpec spec = ModelZoo.Create("small-cnn", inputChannels: 1, classes: 3, imageSize: Side);
        var options = new PrivateTrainingOptions(ExecutionMode.Asym, RankPolicy.Parse("paper"), NoiseRatio: 0,
            new OptimizerSettings(OptimizerKind.Adam, LearningRate: 0.001), new TrainingPlan(Epochs: 1, BatchSize: 12, Seed: 1),
            KeyFile: keyFile);
        TrainingOutcome outcome = PrivateTraining.Run(spec, new SealedDataSource(train), new SealedDataSource(test), options);

        Assert.Single(outcome.History);
        Assert.InRange(outcome.History[^1].TestAccuracy, 0, 1);
        Assert.True(double.IsFinite(outcome.History[^1].TrainLoss));
        Assert.Equal(30, outcome.Evaluation!.Confusion.Sum());
    }
}
