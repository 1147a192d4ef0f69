namespace AsymML.Privacy.Attacks;

/// <summary>
/// Which mixtures the host received belong to which samples, as the host knows it under DarKnight-style masking: it
/// chose each batch and the group size g is a deployment setting (Kerckhoffs), so it knows that each step's samples
/// were cut into groups of g (the last smaller) and that each group left as g + 2 consecutive mixtures. It does not
/// know the coefficients. <see cref="MixtureStart"/> and <see cref="SampleStart"/> index the concatenated view and
/// the images of the run.
/// </summary>
/// <param name="MixtureStart">First mixture of the group in the view.</param>
/// <param name="Mixtures">Its mixtures (g + 2).</param>
/// <param name="SampleStart">First sample of the group among the images.</param>
/// <param name="Samples">Its samples (g, or fewer for a batch's last group).</param>
public sealed record MixtureGroups(int MixtureStart, int Mixtures, int SampleStart, int Samples)
{
    /// <summary>The groups of steps of <paramref name="stepSizes"/> samples each, in order, with groups of
    /// <paramref name="groupSize"/> (the enclave's rule: consecutive samples, the last group of a step smaller).</summary>
    public static IReadOnlyList<MixtureGroups> Of(IEnumerable<int> stepSizes, int groupSize)
    {
        ArgumentNullException.ThrowIfNull(stepSizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        var groups = new List<MixtureGroups>();
        int mixture = 0, sample = 0;
        foreach (int size in stepSizes)
            for (int at = 0; at < size; at += groupSize)
            {
                int n = Math.Min(groupSize, size - at);
                groups.Add(new MixtureGroups(mixture, n + 2, sample, n));
                (mixture, sample) = (mixture + n + 2, sample + n);
            }
        return groups;
    }
}
