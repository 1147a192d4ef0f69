using TorchSharp;
using System.Diagnostics;
using System.Globalization;
using AsymML.Data;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// Gradient inversion by a curious host from its view of one training step: the batch-summed weight gradients its
/// optimizer uses (the enclave's dW_T and full gradients plus its own dW_U) and, optionally, dY of every split
/// convolution (<see cref="GradientInversionOptions.MatchOutputGradients"/>). The attacked steps are the first
/// <c>Batches × BatchSize</c> samples of the scenario's training set, run through the real executor. The same
/// optimisation (same seeded start) also runs on the gradients computed in the clear (upper bound; at nsr 0 they equal
/// the host's view to 1e-5, AsymML's merged gradient being exact, and the host's reconstruction is reused) and on the gradients of a batch of
/// Gaussian noise images with the same labels (lower bound); plus the mean public image as the guess. Each
/// reconstruction is paired with its best-matching true image (see <see cref="ImageAssignment"/>).
/// </summary>
public sealed class GradientInversionAttack(GradientInversionOptions? options = null) : IAttack
{
    private readonly GradientInversionOptions _options = options ?? new GradientInversionOptions();

    /// <inheritdoc />
    public string Name => "gradient-inversion";

    /// <summary>The options in force.</summary>
    public GradientInversionOptions Options => _options;

    /// <inheritdoc />
    /// <param name="scenario">The scenario.</param>
    /// <param name="target">Null or <c>gradients</c>: everything the options match.</param>
    public AttackResult Run(AttackScenario scenario, string? target = null) => Invert(scenario, target);

    /// <summary>Runs the attack and its baselines.</summary>
    /// <exception cref="ArgumentException">An unknown target, or too few training samples for the batches.</exception>
    /// <exception cref="Execution.ExecutionException">The enclave refused the step (a batch of one with BatchNorm).</exception>
    public ReconstructionResult Invert(AttackScenario scenario, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        _options.Validate();
        if (target is not null and not "gradients")
            throw new ArgumentException($"Gradient inversion attacks 'gradients' (all the host has of a step); got '{target}'.", nameof(target));
        int b = _options.BatchSize;
        if (_options.Batches * b > scenario.Training.Count)
            throw new ArgumentException($"{_options.Batches} batches of {b} need {_options.Batches * b} training samples; the scenario has {scenario.Training.Count}.", nameof(scenario));
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> split = scenario.SplitLayers();
        Normalization owner = scenario.Normalization(), attacker = Normalization.FromData(scenario.Public);
        var matcher = new GradientMatcher(scenario.Spec, scenario.Weights, _options, attacker, split);
        var recorder = new HostViewRecorder(scenario);
        var results = new List<(Tensor Host, Tensor Unprotected, Tensor Noise, Tensor Truth)>();
        using var scope = NewDisposeScope();
        for (int batch = 0; batch < _options.Batches; batch++)
        {
            long[] indices = ImageSets.Range(batch * b, b);
            using HostStepView view = recorder.TrainingStep(indices, seedOffset: batch);
            (Tensor input, Tensor labels) = ImageBatches.Make(scenario.Training, indices, owner);
            Tensor truth = ImageSets.Pixels(scenario.Training, indices);
            using var generator = new Generator((ulong)unchecked(scenario.Seed * 7919 + batch));
            Tensor start = randn(input.shape, generator: generator);
            Tensor noiseImages = randn(input.shape, generator: generator);
            var (plain, plainDy) = UnprotectedView.TrainingStep(scenario.Spec, scenario.Weights, input, labels, split);
            var (noise, noiseDy) = UnprotectedView.TrainingStep(scenario.Spec, scenario.Weights, noiseImages, labels, split);
            try
            {
                Tensor Attack(IReadOnlyDictionary<string, Tensor> g, IReadOnlyDictionary<string, Tensor> dy) =>
                    ImageAssignment.Match(matcher.Reconstruct(g, dy, Labels(scenario, g, dy, labels, split), start), truth);
                Tensor host = Attack(view.SummedGradients, view.OutputGradients);
                // At nsr 0 the merged gradient is the plain one to float rounding (AsymML's exactness): the same
                // optimisation from the same start would repeat itself, so it runs once.
                Tensor unprotected = Same(view.SummedGradients, plain) && Same(view.OutputGradients, plainDy) ? host : Attack(plain, plainDy);
                results.Add((host, unprotected, Attack(noise, noiseDy), truth));
            }
            finally
            {
                foreach (Tensor t in plain.Values.Concat(plainDy.Values).Concat(noise.Values).Concat(noiseDy.Values)) t.Dispose();
            }
        }
        Tensor truths = cat(results.Select(r => r.Truth).ToList(), 0);
        Tensor mean = ImageSets.MeanImage(scenario.Public).expand_as(truths);
        string what = string.Create(CultureInfo.InvariantCulture,
            $"batch {b}, {(_options.Objective == GradientObjective.Cosine ? "cosine" : "L2")}, {(_options.MatchOutputGradients ? "weights+dY" : "weights")}, labels {_options.Labels.ToString().ToLowerInvariant()}");
        return new ReconstructionResult(Name, what, scenario.NoiseRatio, clock.Elapsed.TotalSeconds,
            ReconstructionScore.Of(cat(results.Select(r => r.Host).ToList(), 0), truths),
            ReconstructionScore.Of(cat(results.Select(r => r.Unprotected).ToList(), 0), truths),
            ReconstructionScore.Of(cat(results.Select(r => r.Noise).ToList(), 0), truths),
            ReconstructionScore.Of(mean, truths));
    }

    /// <summary>Whether every tensor of <paramref name="a"/> equals its namesake in <paramref name="b"/> to 1e-5 of its norm.</summary>
    private static bool Same(IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out Tensor? other) && RelativeDifference(p.Value, other) <= 1e-5);

    private static double RelativeDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return ((a - b).norm() / b.norm().clamp_min(1e-30)).ToDouble();
    }

    /// <summary>The labels the attack uses against one target.</summary>
    private Tensor Labels(AttackScenario scenario, IReadOnlyDictionary<string, Tensor> gradients, IReadOnlyDictionary<string, Tensor> dy, Tensor truth, IReadOnlyList<string> split)
    {
        if (_options.Labels == LabelSource.Known) return truth;
        int b = (int)truth.shape[0];
        if (b > 1 && _options.MatchOutputGradients && split.Count > 0 && dy.TryGetValue(split[^1], out Tensor? last))
            return tensor(LabelRecovery.PerSampleFromOutputGradient(scenario.Spec, scenario.Weights, split[^1], last));
        return tensor(LabelRecovery.MultisetFromClassifierGradient(scenario.Spec, gradients, b));
    }
}
