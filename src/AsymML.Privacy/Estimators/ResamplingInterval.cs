namespace AsymML.Privacy.Estimators;

/// <summary>A point estimate with a resampling confidence interval.</summary>
/// <param name="Estimate">The statistic on all samples.</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end.</param>
/// <param name="StandardError">The resampling estimate of the statistic's standard error.</param>
/// <param name="Replicates">Number of resamples.</param>
/// <param name="Confidence">Nominal coverage, e.g. 0.95.</param>
public sealed record ResamplingInterval(double Estimate, double Low, double High, double StandardError, int Replicates, double Confidence)
{
    /// <summary>Whether <paramref name="value"/> lies in [Low, High].</summary>
    public bool Covers(double value) => value >= Low && value <= High;
}
