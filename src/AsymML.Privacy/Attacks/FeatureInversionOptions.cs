namespace AsymML.Privacy.Attacks;

/// <summary>How the feature-inversion decoder is built and trained. Immutable.</summary>
/// <param name="DecoderWidth">Channels of the decoder's hidden convolutions.</param>
/// <param name="Epochs">Passes over the public images.</param>
/// <param name="BatchSize">Images per decoder step.</param>
/// <param name="LearningRate">Adam's step size.</param>
public sealed record FeatureInversionOptions(int DecoderWidth = 32, int Epochs = 5, int BatchSize = 32, double LearningRate = 2e-3)
{
    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (DecoderWidth < 1) throw new ArgumentOutOfRangeException(nameof(DecoderWidth), DecoderWidth, "The decoder needs at least one channel.");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train the decoder for at least one epoch.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batches need at least one image.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
    }
}
