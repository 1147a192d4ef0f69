using AsymML.Execution;

namespace AsymML.Training;

/// <summary>The measured steps of one executor.</summary>
/// <param name="Mode">The executor's mode.</param>
/// <param name="Steps">Timings of each measured step (the warm-up step excluded).</param>
public sealed record StepBenchmarkResult(ExecutionMode Mode, IReadOnlyList<StepTimings> Steps)
{
    /// <summary>The masking of this executor's crossings; null for none.</summary>
    public Boundary.Session.MaskingSettings? Mask { get; init; }

    /// <summary>The mode, and the masking when there is one (e.g. <c>Asym+darknight:8:4</c>).</summary>
    public string Label => Mask is null ? Mode.ToString() : $"{Mode}+{Mask.Name}";

    /// <summary>The median of each figure over <see cref="Steps"/> on its own (the mean of the middle two for an
    /// even count): robust to one slow step, and the parts need not come from the same step.</summary>
    public StepTimings Median => new(Middle(Steps.Select(x => x.Wall)), Middle(Steps.Select(x => x.Enclave)),
        Middle(Steps.Select(x => x.Accelerator)), Middle(Steps.Select(x => x.Boundary)), (long)Middle(Steps.Select(x => (double)x.BoundaryBytes)),
        Middle(Steps.Select(x => x.Verification)), Middle(Steps.Select(x => x.WeightCheck)), Middle(Steps.Select(x => x.Update)));

    /// <summary>The median over steps of the share of the enclave's time spent checking the accelerator's results
    /// (a ratio within each step, so the machine's load cancels out).</summary>
    public double VerificationShare => Middle(Steps.Select(x => x.Enclave > 0 ? x.Verification / x.Enclave : 0));

    /// <summary>The median over steps of the share of the enclave's time spent checking dW_U (part of
    /// <see cref="VerificationShare"/>).</summary>
    public double WeightCheckShare => Middle(Steps.Select(x => x.Enclave > 0 ? x.WeightCheck / x.Enclave : 0));

    /// <summary>The median over steps of the share of the enclave's time spent on the weight update it now runs
    /// itself (dW_T + dW_U, the optimizer step, the new weights out).</summary>
    public double UpdateShare => Middle(Steps.Select(x => x.Enclave > 0 ? x.Update / x.Enclave : 0));

    private static double Middle(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
