using AsymML.Privacy.Attacks;

namespace AsymML.Privacy.Frontier;

/// <summary>The fixed budget every setting of a frontier gets. Immutable.</summary>
public sealed record FrontierOptions
{
    /// <summary>Training images of the data owner (each setting trains a fresh model on them).</summary>
    public int TrainSamples { get; init; } = 4000;

    /// <summary>Test images for the accuracy.</summary>
    public int TestSamples { get; init; } = 1000;

    /// <summary>Epochs of each setting's training (Adam, cosine schedule from <see cref="LearningRate"/>).</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Samples per training step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam's initial step size.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Seed of the initial weights, the order, the attacker.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Public images the attacker trains its decoder on.</summary>
    public int PublicSamples { get; init; } = 1000;

    /// <summary>Private test images the attacker reconstructs.</summary>
    public int PrivateSamples { get; init; } = 100;

    /// <summary>Epochs the attacked model is trained (through the split, paper ranks, no noise) before the attack;
    /// one model serves every setting, so rows differ only in what the host is sent.</summary>
    public int AttackModelEpochs { get; init; } = 1;

    /// <summary>The attacker's decoder.</summary>
    public FeatureInversionOptions Decoder { get; init; } = new(DecoderWidth: 16, Epochs: 3);

    /// <summary>Attack every split layer the host sees (true) or only the first (the one nearest the image, which
    /// leaked most in every measurement so far).</summary>
    public bool AllLayers { get; init; }

    /// <summary>How far above the noise baseline the attack's SSIM may be for a setting to count as private.</summary>
    public double SsimMargin { get; init; } = 0.1;

    /// <summary>How far below untrusted-only the test accuracy may be (fraction, 0.01 = 1 point).</summary>
    public double AccuracyMargin { get; init; } = 0.01;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (TrainSamples < 2 || TestSamples < 1 || PublicSamples < 2 || PrivateSamples < 1)
            throw new ArgumentOutOfRangeException(nameof(TrainSamples), "The frontier needs at least 2 training, 1 test, 2 public and 1 private image.");
        if (Epochs < 1 || BatchSize < 2 || !(LearningRate > 0) || AttackModelEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(Epochs), "Epochs ≥ 1, batch ≥ 2, a positive learning rate and attack-model epochs ≥ 0 are needed.");
        Decoder.Validate();
    }
}
