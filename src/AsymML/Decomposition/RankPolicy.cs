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
    public string Name => KeptInside > 0 ? $"{BaseName}+inside:{KeptInside}" : BaseName;

    /// <summary>The policy's own part of <see cref="Name"/>, without the <c>+inside:k</c> suffix.</summary>
    protected abstract string BaseName { get; }

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
            RankAssignment decided = Decide(layer, requested, why);
            if (result.Count < KeptInside && decided.Split)
                decided = decided with { Split = false, Reason = $"{decided.Reason}; kept fully in the TEE by '+inside:{KeptInside}' (the host sees nothing of its input)" };
            result.Add(decided);
        }
        return result;
    }

    /// <summary>How many leading convolutions run fully inside the TEE whatever their rank (the <c>+inside:k</c>
    /// suffix): the first layers' inputs are closest to the image, so keeping them inside hides them from the host
    /// at the cost of their whole convolution in the TEE. 0 by default.</summary>
    public int KeptInside { get; private set; }

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

    /// <summary>Reads <c>paper</c>, <c>fixed:r</c> (integer r ≥ 1) or <c>energy:τ</c> (0 &lt; τ ≤ 1), each optionally
    /// followed by <c>+inside:k</c> (the first k convolutions run fully inside the TEE).</summary>
    /// <exception cref="FormatException">The text is none of these; the message lists the accepted forms.</exception>
    public static RankPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int plus = text.IndexOf('+');
        if (plus >= 0)
        {
            string suffix = text[(plus + 1)..].Trim();
            const string prefix = "inside:";
            if (!suffix.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || !int.TryParse(suffix[prefix.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) || k < 1)
                throw new FormatException($"Rank policy '{text}': '+{suffix}' is not '+inside:k' with an integer k ≥ 1.");
            RankPolicy inner = Parse(text[..plus]);
            return inner.WithKeptInside(k);
        }
        const string forms = "expected 'paper', 'fixed:r' with an integer r ≥ 1, or 'energy:τ' with 0 < τ ≤ 1, optionally followed by '+inside:k'";
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

    /// <summary>This policy with the first <paramref name="count"/> convolutions kept inside (a copy).</summary>
    public RankPolicy WithKeptInside(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var copy = (RankPolicy)MemberwiseClone();
        copy.KeptInside = count;
        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
