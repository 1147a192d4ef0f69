using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Network;
using AsymML.Privacy.Attacks;

namespace AsymML.Tests.Privacy.Attacks;

/// <summary>Small seeded scenarios on real Fashion-MNIST images (installed by the Debian package): the first images
/// of the training split are the attacker's public set, the next ones the owner's training set, test images private.</summary>
internal static class AttackFixtures
{
    private static readonly Lazy<LabeledImages> Train = new(() => FashionMnist.Load(FashionMnist.TrainSplit, maxSamples: 1000));
    private static readonly Lazy<LabeledImages> Test = new(() => FashionMnist.Load(FashionMnist.TestSplit, maxSamples: 100));

    /// <summary>small-cnn (or the variant without BatchNorm) with seeded weights and the paper's ranks.</summary>
    public static NetworkSpec SmallCnn(bool batchNorm = true)
    {
        NetworkSpec spec = ModelZoo.Create("small-cnn", 1, 10, imageSize: 28);
        return batchNorm ? spec : new NetworkSpec("small-cnn-nobn", 1, spec.Layers.Where(l => l is not BatchNorm2dLayer));
    }

    /// <summary>A much smaller network for the optimisation-heavy gradient attacks: conv(1→4) inside the enclave (one
    /// input channel), conv(4→8) split at rank 2, ReLU, 2×2 max-pool, classifier: [B, 1, 28, 28] → [B, 10].</summary>
    public static NetworkSpec Tiny() => new("tiny", 1,
    [
        Conv2dLayer.Square("0", 1, 4, 3, padding: 1),
        new ReLULayer("1"),
        Conv2dLayer.Square("2", 4, 8, 3, padding: 1),
        new ReLULayer("3"),
        new MaxPool2dLayer("4", 2),
        new FlattenLayer("5"),
        new LinearLayer("6", 8 * 14 * 14, 10),
    ]);

    /// <summary>A scenario of <paramref name="spec"/> with weights seeded by <paramref name="seed"/> (owned by the caller
    /// through <paramref name="weights"/>) and a seeded enclave noise.</summary>
    public static AttackScenario Scenario(NetworkSpec spec, out StateDict weights, double nsr = 0, int publicCount = 200, int privateCount = 40,
        int trainingCount = 200, string policy = "paper", long seed = 3)
    {
        weights = StateDict.Initialize(spec, seed);
        return new AttackScenario(spec, weights, RankPolicy.Parse(policy), nsr, ImageSets.Slice(Train.Value, 500, trainingCount),
            ImageSets.Slice(Train.Value, 0, publicCount), ImageSets.Slice(Test.Value, 0, privateCount), seed, NoiseSeed: 11);
    }
}
