using System.Globalization;
using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>
/// Data-driven ranks: at each convolution, the smallest r whose top-r exact singular components keep at least
/// τ of the energy, averaged over a calibration batch of that layer's inputs; at most <see cref="MaxRank"/>.
/// </summary>
public sealed class EnergyRankPolicy : RankPolicy
{
    /// <summary>Creates the policy for 0 &lt; <paramref name="threshold"/> ≤ 1, capped at <paramref name="maxRank"/>.</summary>
    public EnergyRankPolicy(double threshold, int maxRank = PaperMaxRank)
    {
        if (!(threshold > 0 && threshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "energy threshold τ must be in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRank, 1);
        Threshold = threshold;
        MaxRank = maxRank;
    }

    /// <summary>τ: the share of energy the low-rank part must keep.</summary>
    public double Threshold { get; }

    /// <summary>Upper bound on r.</summary>
    public int MaxRank { get; }

    /// <inheritdoc />
    protected override string BaseName => string.Create(CultureInfo.InvariantCulture, $"energy:{Threshold}");

    /// <inheritdoc />
    protected override (int Rank, string Reason) Requested(ConvLayerShape layer, Func<ConvLayerShape, Tensor>? calibrationInput)
    {
        if (calibrationInput is null)
            throw new InvalidOperationException($"Rank policy {Name} needs a calibration batch, and none was given for layer '{layer.Name}'.");
        Tensor input = calibrationInput(layer);
        if (input.dim() != 4 || input.shape[1] != layer.InChannels)
            throw new ArgumentException(
                $"Calibration input of layer '{layer.Name}' must be [B, {layer.InChannels}, H, W]; got {LowRankSplit.Shape(input.shape)}.");
        using var scope = NewDisposeScope();
        Tensor s = ChannelEntropy.SingularValues(input);
        Tensor energy = s.square();
        Tensor curve = (energy.cumsum(1) / energy.sum(1, keepdim: true).clamp_min(double.Epsilon)).mean([0L]);
        double[] shares = curve.data<double>().ToArray();
        int needed = Array.FindIndex(shares, e => e >= Threshold - 1e-12) + 1;
        if (needed == 0) needed = shares.Length;
        int rank = Math.Min(needed, MaxRank);
        string reason = string.Create(CultureInfo.InvariantCulture,
            $"energy: top {needed} keep {shares[needed - 1]:0.###} ≥ τ = {Threshold}");
        return (rank, needed > MaxRank ? $"{reason}; capped at {MaxRank}" : reason);
    }
}
