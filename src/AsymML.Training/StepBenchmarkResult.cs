using AsymML.Execution;

namespace AsymML.Training;

/// <summary>The measured steps of one executor.</summary>
/// <param name="Mode">The executor's mode.</param>
/// <param name="Steps">Timings of each measured step (the warm-up step excluded).</param>
public sealed record StepBenchmarkResult(ExecutionMode Mode, IReadOnlyList<StepTimings> Steps)
{
    /// <summary>The median of each figure over <see cref="Steps"/> on its own (the mean of the middle two for an
    /// even count): robust to one slow step, and the parts need not come from the same step.</summary>
    public StepTimings Median => new(Middle(Steps.Select(x => x.Wall)), Middle(Steps.Select(x => x.Enclave)),
        Middle(Steps.Select(x => x.Accelerator)), Middle(Steps.Select(x => x.Boundary)), (long)Middle(Steps.Select(x => (double)x.BoundaryBytes)));

    private static double Middle(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
