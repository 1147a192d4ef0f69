using AsymML.Boundary.Session;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Network;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// The setting an attack is run in: the network and its public state, the split (rank policy, noise), and the data.
/// Immutable; the scenario does not own <see cref="Weights"/> (the caller disposes them).
/// </summary>
/// <param name="Spec">The network.</param>
/// <param name="Weights">Its weights and BatchNorm buffers: public, the host holds them.</param>
/// <param name="RankPolicy">Rank of each split convolution.</param>
/// <param name="NoiseRatio">nsr of the noise mask on every residual (0 = exact).</param>
/// <param name="Training">The data owner's training set: provisioned first (its statistics normalise every batch, inside
/// the enclave) and the source of the private batches of training steps.</param>
/// <param name="Public">Images (and labels) the host may know: the attacker trains on them.</param>
/// <param name="Private">The data owner's private images that inference runs on: the attack's targets.</param>
/// <param name="Seed">Seed of everything the attacker draws (decoder initialisation, order, noise baselines, starts).</param>
/// <param name="NoiseSeed">Seed of the enclave's noise, for reproducible tests; null (the real case) lets the enclave
/// draw it from a cryptographic source.</param>
/// <param name="Mask">DarKnight-style masking of what leaves (the enclave's setting); null for none. Its seed, like the
/// noise seed, only in tests.</param>
/// <param name="ResidualPrivacy">The residual Gaussian mechanism the enclave applies instead of the nsr mask; null for none.</param>
public sealed record AttackScenario(NetworkSpec Spec, StateDict Weights, RankPolicy RankPolicy, double NoiseRatio,
    LabeledImages Training, LabeledImages Public, LabeledImages Private, long Seed, long? NoiseSeed = null,
    ResidualPrivacySettings? ResidualPrivacy = null, MaskingSettings? Mask = null)
{
    /// <summary>Height and width of the images.</summary>
    public (int Height, int Width) ImageSize => (Training.Rows, Training.Cols);

    /// <summary>The enclave's settings for this scenario (ranks for the image size, noise, noise seed).</summary>
    public EnclaveSettings Enclave() =>
        EnclaveSettings.Split(Spec, Training.Rows, Training.Cols, RankPolicy, NoiseRatio, NoiseSeed) with { ResidualPrivacy = ResidualPrivacy, Mask = Mask };

    /// <summary>Paths of the convolutions the split sends to the host, in execution order.</summary>
    public IReadOnlyList<string> SplitLayers()
    {
        EnclaveSettings settings = Enclave();
        return Spec.Convolutions(Training.Rows, Training.Cols)
            .Where(c => settings.Ranks.TryGetValue(c.Name, out RankAssignment? r) && r.Split)
            .Select(c => c.Name)
            .ToArray();
    }

    /// <summary>The normalisation the enclave applies: statistics of <see cref="Training"/>, the first set provisioned.</summary>
    public Normalization Normalization() => Data.Normalization.FromData(Training);

    /// <summary>Throws unless the images fit the network and each other.</summary>
    /// <exception cref="ArgumentException">Channel counts or image sizes differ, or a set is empty.</exception>
    public void Validate()
    {
        foreach (var (name, set) in new[] { ("training", Training), ("public", Public), ("private", Private) })
        {
            if (set.Count == 0)
                throw new ArgumentException($"The {name} set of the attack scenario is empty.");
            if ((set.Channels, set.Rows, set.Cols) != (Spec.InputChannels, Training.Rows, Training.Cols))
                throw new ArgumentException($"The {name} set has {set.Channels}×{set.Rows}×{set.Cols} images; the network takes {Spec.InputChannels} channels and the training set is {Training.Rows}×{Training.Cols}.");
        }
        if (!(NoiseRatio >= 0) || double.IsInfinity(NoiseRatio))
            throw new ArgumentException($"The noise ratio must be a finite number ≥ 0; got {NoiseRatio}.");
        try
        {
            Mask?.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentException($"The masking settings are out of range: {e.Message}", e);
        }
    }
}
