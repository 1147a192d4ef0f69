using System.Text.Json.Serialization;

namespace AsymML.Analysis;

/// <summary>Patch-channel entropy statistics and split figures for one kernel size (one point of Figure 9).</summary>
/// <param name="K">Kernel size k.</param>
/// <param name="PatchChannels">N·k²: rows of each patch matrix.</param>
/// <param name="MuMean">Mean SVD-channel entropy μ over the samples (bits).</param>
/// <param name="MuMedian">Median μ.</param>
/// <param name="MuStd">Standard deviation of μ.</param>
/// <param name="MuMin">Smallest μ.</param>
/// <param name="MuP05">5th percentile of μ.</param>
/// <param name="MuP95">95th percentile of μ.</param>
/// <param name="MuMax">Largest μ.</param>
/// <param name="NPrime">⌈2^mean μ⌉: principal channels that Theorem 1 says keep 97% of the energy.</param>
/// <param name="Rank">The rank the splits used: the requested r capped at min(N·k², H·W).</param>
/// <param name="Energy">Mean share of each sample's energy the rank-r low-rank part keeps, per method.</param>
/// <param name="WorstRelativeEnergy">Worst sample's energy kept relative to the exact split, per method.</param>
/// <param name="Ms">Wall time to split all samples, per method, in milliseconds (measured side by side).</param>
/// <param name="Mu">μ of every sample (for plots; not serialised).</param>
public sealed record KernelEntropy(
    int K, int PatchChannels, double MuMean, double MuMedian, double MuStd, double MuMin, double MuP05, double MuP95,
    double MuMax, int NPrime, int Rank, SplitFigures Energy, SplitFigures WorstRelativeEnergy, SplitFigures Ms,
    [property: JsonIgnore] double[] Mu);
