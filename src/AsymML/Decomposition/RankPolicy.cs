using System.Globalization;
using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>
/// Gives each convolution of a network its rank r. Every policy caps r at min(N, H·W) and marks a layer that the
/// split would not make cheaper (r·(N + H_out·W_out) ≥ N·H_out·W_out) to run fully inside the TEE.
/// Parse one from text with <see cref="Parse"/>: <c>paper</c>, <c>fixed:r</c>, <c>energy:τ</c>.
/// </summary>
public abstract class RankPolicy
{
    /// <summary>The paper's cap on r (section 4.2), also the default cap of the energy policy.</summary>
    public const int PaperMaxRank = 32;

    /// <summary>The policy as text, the form <see cref="Parse"/> reads.</summary>
    public abstract string Name { get; }

    /// <summary>Assigns a rank to every layer, in order.</summary>
    /// <param name="layers">The network's convolutions in execution order.</param>
    /// <param name="calibrationInput">Input batch [B, N, H, W] of a layer, for data-driven policies
    /// (<see cref="EnergyRankPolicy"/>); the others ignore it.</param>
    public IReadOnlyList<RankAssignment> Assign(IReadOnlyList<ConvLayerShape> layers, Func<ConvLayerShape, Tensor>? calibrationInput = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var result = new List<RankAssignment>(layers.Count);
        foreach (ConvLayerShape layer in layers)
        {
            (int requested, string why) = Requested(layer, calibrationInput);
            result.Add(Decide(layer, requested, why));
        }
        return result;
    }

    /// <summary>The rank this policy asks for before the common caps, with a reason in words.</summary>
    protected abstract (int Rank, string Reason) Requested(ConvLayerShape layer, Func<ConvLayerShape, Tensor>? calibrationInput);

    private static RankAssignment Decide(ConvLayerShape layer, int requested, string why)
    {
        int rank = Math.Max(1, Math.Min(requested, layer.MaxRank));
        string reason = rank < requested ? $"{why}; capped at min(N, H·W) = {layer.MaxRank}" : why;
        if (!layer.SplitSaves(rank))
            return new RankAssignment(layer, rank, false,
                $"{reason}; runs fully in the TEE: r·(N + H_out·W_out) = {(long)rank * (layer.InChannels + layer.OutHeight * layer.OutWidth)}" +
                $" ≥ N·H_out·W_out = {(long)layer.InChannels * layer.OutHeight * layer.OutWidth}");
        return new RankAssignment(layer, rank, true, reason);
    }

    /// <summary>Reads <c>paper</c>, <c>fixed:r</c> (integer r ≥ 1) or <c>energy:τ</c> (0 &lt; τ ≤ 1).</summary>
    /// <exception cref="FormatException">The text is none of these; the message lists the accepted forms.</exception>
    public static RankPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string forms = "expected 'paper', 'fixed:r' with an integer r ≥ 1, or 'energy:τ' with 0 < τ ≤ 1";
        string trimmed = text.Trim();
        if (trimmed.Equals("paper", StringComparison.OrdinalIgnoreCase))
            return new PaperRankPolicy();
        int colon = trimmed.IndexOf(':');
        string kind = colon < 0 ? trimmed : trimmed[..colon];
        string value = colon < 0 ? "" : trimmed[(colon + 1)..];
        if (kind.Equals("fixed", StringComparison.OrdinalIgnoreCase))
        {
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int r) && r >= 1)
                return new FixedRankPolicy(r);
            throw new FormatException($"Rank policy '{text}': '{value}' is not an integer rank ≥ 1; {forms}.");
        }
        if (kind.Equals("energy", StringComparison.OrdinalIgnoreCase))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double tau) && tau > 0 && tau <= 1)
                return new EnergyRankPolicy(tau);
            throw new FormatException($"Rank policy '{text}': '{value}' is not an energy share in (0, 1]; {forms}.");
        }
        throw new FormatException($"Rank policy '{text}' is unknown; {forms}.");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
