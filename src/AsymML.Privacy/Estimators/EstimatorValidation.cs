namespace AsymML.Privacy.Estimators;

/// <summary>
/// The checks that say what our estimators can be trusted with, on data whose mutual information is known:
/// correlated Gaussians in d = 1, 2, 4; independent data against a permutation baseline; data with exact ties
/// (zero-inflated, like ReLU outputs), naive and with the tie protocol; and the coverage of half-sampling against
/// bootstrap intervals. The CLI's <c>asymml analyze leakage --validate</c> prints it; docs/privacy-estimators.md
/// records a run.
/// </summary>
public static class EstimatorValidation
{
    /// <summary>Runs every check with <paramref name="options"/>.</summary>
    public static ValidationReport Run(ValidationOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ksg = new KsgEstimator(options.KsgK);
        var gaussians = new List<GaussianCheck>();
        foreach (int d in options.Dimensions)
        {
            var lnc = new LncEstimator(options.LncK, LncEstimator.CalibrateAlpha(d, d, options.LncK));
            foreach (double rho in options.Correlations)
            {
                progress?.Report($"Gaussian d={d} ρ={rho}");
                var k = new double[options.Repeats];
                var l = new double[options.Repeats];
                for (int r = 0; r < options.Repeats; r++)
                {
                    var (x, y, _) = SyntheticPairs.CorrelatedGaussians(options.Samples, d, rho, options.Seed + 1000 * d + r);
                    k[r] = ksg.Estimate(x, y);
                    l[r] = lnc.Estimate(x, y);
                }
                gaussians.Add(new GaussianCheck(d, rho, options.Samples, options.Repeats, SyntheticPairs.GaussianMi(d, rho), k.Average(), Std(k), l.Average(), Std(l), lnc.Alpha));
            }
        }

        progress?.Report("independent data");
        var protocol = new TieBreakingEstimator(ksg);
        var independent = new List<BaselineCheck>();
        {
            var (x, y, _) = SyntheticPairs.CorrelatedGaussians(options.Samples, 1, 0, options.Seed + 100);
            PermutationResult baseline = PermutationBaseline.Measure(ksg, x, y, options.Permutations, options.Seed);
            independent.Add(new BaselineCheck("independent Gaussians", ksg.Name, ksg.Estimate(x, y), baseline.Mean, baseline.StandardDeviation));
        }

        var ties = new List<TieCheck>();
        foreach (var (name, rho, shared) in new[] { ("independent, 70% zeros each", 0.0, false), ("ρ = 0.9, zeros of x and y independent", 0.9, false), ("ρ = 0.9, the same 70% zero in both", 0.9, true) })
        {
            progress?.Report($"ties: {name}");
            var (x, y, truth) = SyntheticPairs.ZeroInflated(options.Samples, rho, options.ZeroShare, shared, options.Seed + 200);
            PermutationResult baseline = PermutationBaseline.Measure(protocol, x, y, options.Permutations, options.Seed);
            var lncProtocol = new TieBreakingEstimator(new LncEstimator(options.LncK, LncEstimator.CalibrateAlpha(1, 1, options.LncK)));
            ties.Add(new TieCheck(name, truth, ksg.Estimate(x, y), protocol.Estimate(x, y), lncProtocol.Estimate(x, y), baseline.Mean, baseline.StandardDeviation));
        }

        var coverage = new List<CoverageCheck>();
        foreach (bool halves in new[] { true, false })
        {
            progress?.Report(halves ? "coverage: half-sampling" : "coverage: bootstrap");
            int covered = 0;
            double width = 0;
            for (int t = 0; t < options.CoverageTrials; t++)
            {
                var (x, y, truth) = SyntheticPairs.CorrelatedGaussians(options.CoverageSamples, 1, options.CoverageRho, options.Seed + 1000 + t);
                ResamplingInterval interval = halves
                    ? HalfSampling.Interval(ksg, x, y, options.Replicates, options.Seed + t)
                    : Bootstrap.PercentileInterval(ksg, x, y, options.Replicates, options.Seed + t);
                if (interval.Covers(truth)) covered++;
                width += (interval.High - interval.Low) / options.CoverageTrials;
            }
            coverage.Add(new CoverageCheck(halves ? "half-sampling" : "bootstrap (with replacement)", options.CoverageTrials, covered, width));
        }
        return new ValidationReport(options, ksg.Name, gaussians, independent, ties, coverage);
    }

    private static double Std(double[] values)
    {
        if (values.Length < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
