using System.Diagnostics;
using System.Globalization;
using AsymML.Data;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// Label leakage from the host's view of training steps (see <see cref="LabelRecovery"/>). Each step's batch is drawn
/// from the scenario's training set (seeded) and run through the real executor; the labels are read from the
/// classifier's gradient (scored as a multiset: matched labels / batch size; at batch 1 that is plain accuracy) or from
/// dY of the last split convolution (scored per sample). Baselines in the same run: the same recovery on gradients
/// computed in the clear, and guessing uniformly at random, scored the same way (exact expectation).
/// </summary>
public sealed class LabelLeakageAttack(LabelLeakageOptions? options = null) : IAttack
{
    private readonly LabelLeakageOptions _options = options ?? new LabelLeakageOptions();

    /// <inheritdoc />
    public string Name => "label-leakage";

    /// <inheritdoc />
    /// <param name="scenario">The scenario.</param>
    /// <param name="target">Null for the options' signal; for <see cref="LabelSignal.OutputGradient"/> a split
    /// convolution's path may be given (default: the last one).</param>
    public AttackResult Run(AttackScenario scenario, string? target = null) => Recover(scenario, target);

    /// <summary>Runs the attack and its baselines.</summary>
    public LabelLeakageResult Recover(AttackScenario scenario, string? target = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        _options.Validate();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> split = scenario.SplitLayers();
        string? layer = null;
        if (_options.Signal == LabelSignal.OutputGradient)
        {
            layer = target ?? (split.Count > 0 ? split[^1] : throw new ArgumentException($"No convolution of {scenario.Spec.Name} is split: the host receives no dY."));
            if (!split.Contains(layer))
                throw new ArgumentException($"'{layer}' is not a split convolution (the host receives no dY there); split: {string.Join(", ", split)}.", nameof(target));
        }
        else if (target is not null && target != LabelRecovery.Classifier(scenario.Spec).Path)
            throw new ArgumentException($"The classifier-gradient signal reads '{LabelRecovery.Classifier(scenario.Spec).Path}'; got '{target}'.", nameof(target));
        int b = _options.BatchSize;
        int classes = LabelRecovery.Classifier(scenario.Spec).OutFeatures;
        if (classes < 2)
            throw new ArgumentException($"Label leakage needs at least 2 classes; {scenario.Spec.Name} has {classes}.", nameof(scenario));
        Normalization owner = scenario.Normalization();
        var recorder = new HostViewRecorder(scenario);
        var random = new Random(unchecked((int)scenario.Seed * 31 + 7));
        double hostHits = 0, plainHits = 0, chanceHits = 0;
        for (int step = 0; step < _options.Steps; step++)
        {
            long[] indices = Enumerable.Range(0, b).Select(_ => (long)random.Next(scenario.Training.Count)).ToArray();
            long[] truth = indices.Select(i => (long)scenario.Training.Labels[i]).ToArray();
            using var scope = NewDisposeScope();
            using HostStepView view = recorder.TrainingStep(indices, seedOffset: step);
            (Tensor input, Tensor labels) = ImageBatches.Make(scenario.Training, indices, owner);
            var (plain, plainDy) = UnprotectedView.TrainingStep(scenario.Spec, scenario.Weights, input, labels, layer is null ? [] : [layer]);
            try
            {
                if (layer is null)
                {
                    hostHits += MultisetHits(LabelRecovery.CountsFromClassifierGradient(scenario.Spec, view.SummedGradients, b), truth, classes);
                    plainHits += MultisetHits(LabelRecovery.CountsFromClassifierGradient(scenario.Spec, plain, b), truth, classes);
                    chanceHits += ExpectedMultisetHits(truth, classes, b);
                }
                else
                {
                    hostHits += PerSampleHits(LabelRecovery.PerSampleFromOutputGradient(scenario.Spec, scenario.Weights, layer, view.OutputGradients[layer]), truth);
                    plainHits += PerSampleHits(LabelRecovery.PerSampleFromOutputGradient(scenario.Spec, scenario.Weights, layer, plainDy[layer]), truth);
                    chanceHits += b / (double)classes;
                }
            }
            finally
            {
                foreach (Tensor t in plain.Values.Concat(plainDy.Values)) t.Dispose();
            }
        }
        double total = (double)_options.Steps * b;
        string what = string.Create(CultureInfo.InvariantCulture, $"{(layer is null ? "classifier gradient" : $"dY of {layer}")}, batch {b}");
        return new LabelLeakageResult(Name, what, scenario.NoiseRatio, clock.Elapsed.TotalSeconds, hostHits / total, plainHits / total,
            chanceHits / total, layer is null ? "multiset" : "per-sample", _options.Steps, b);
    }

    private static int PerSampleHits(long[] guess, long[] truth) => guess.Zip(truth).Count(p => p.First == p.Second);

    private static int MultisetHits(int[] counts, long[] truth, int classes)
    {
        var actual = new int[classes];
        foreach (long y in truth) actual[y]++;
        return Enumerable.Range(0, classes).Sum(k => Math.Min(counts[k], actual[k]));
    }

    /// <summary>E[Σ_k min(G_k, n_k)] for G ~ Multinomial(B, 1/K): Σ_k Σ_{j=1}^{n_k} P(G_k ≥ j), G_k ~ Binomial(B, 1/K).</summary>
    internal static double ExpectedMultisetHits(long[] truth, int classes, int batchSize)
    {
        var actual = new int[classes];
        foreach (long y in truth) actual[y]++;
        double p = 1.0 / classes;
        var pmf = new double[batchSize + 1];
        for (int g = 0; g <= batchSize; g++)
            pmf[g] = Math.Exp(LogChoose(batchSize, g) + g * Math.Log(p) + (batchSize - g) * Math.Log(1 - p));
        double expected = 0;
        foreach (int n in actual)
            for (int j = 1; j <= n; j++)
                expected += pmf.Skip(j).Sum();
        return expected;
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
