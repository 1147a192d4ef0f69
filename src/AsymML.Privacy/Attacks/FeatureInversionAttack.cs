using TorchSharp;
using System.Diagnostics;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// Feature inversion by a curious host: it trains a <see cref="FeatureDecoder"/> on public images, from what it
/// receives at a split convolution when those images pass through the same model and split (its real view, the
/// noise-masked residual X^U, recorded from the real executor's transcript), to the images; then it decodes what it
/// receives for the private images. Baselines in the same run, with the same decoder, seed and schedule: the
/// unprotected layer input X (upper bound), Gaussian noise of the same shape (lower bound: the decoder learns the
/// average image), and the mean public image as the guess. Views and baselines are cached per scenario for the life
/// of the attack object (memory: the residuals of every split layer for the public and private images).
/// </summary>
public sealed class FeatureInversionAttack(FeatureInversionOptions? options = null) : IAttack, IDisposable
{
    private readonly FeatureInversionOptions _options = options ?? new FeatureInversionOptions();
    private readonly Dictionary<AttackScenario, (Dictionary<string, Tensor> Public, Dictionary<string, Tensor> Private)> _views = [];
    private readonly Dictionary<(AttackScenario, string), (ReconstructionScore Unprotected, ReconstructionScore Noise, ReconstructionScore Mean)> _baselines = [];

    /// <inheritdoc />
    public string Name => "feature-inversion";

    /// <summary>Images per step of the real executor while recording views.</summary>
    public int RecordingBatchSize { get; init; } = 100;

    /// <inheritdoc />
    public AttackResult Run(AttackScenario scenario, string? target = null) => Invert(scenario, target);

    /// <summary>Attacks the split convolution <paramref name="layer"/> (null: the first one the host sees). With masking
    /// (<see cref="AttackScenario.Mask"/>) the host decodes the mixtures it received (<see cref="MaskedViewDecoding"/>:
    /// best-of-group loss and scoring; the noise baseline is decoded and scored the same way); with
    /// <paramref name="stripNoise"/> it first removes each group's top principal component.</summary>
    /// <exception cref="ArgumentException">The layer is not split (the host receives nothing there), or
    /// <paramref name="stripNoise"/> without masking.</exception>
    public ReconstructionResult Invert(AttackScenario scenario, string? layer = null, bool stripNoise = false)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        _options.Validate();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> split = scenario.SplitLayers();
        layer ??= split.Count > 0 ? split[0] : throw new ArgumentException($"No convolution of {scenario.Spec.Name} is split under '{scenario.RankPolicy.Name}': the host receives no residual to invert.");
        if (!split.Contains(layer))
            throw new ArgumentException($"'{layer}' is not a split convolution of {scenario.Spec.Name} under '{scenario.RankPolicy.Name}' (the host receives nothing there); split: {string.Join(", ", split)}.", nameof(layer));
        if (stripNoise && scenario.Mask is null)
            throw new ArgumentException("Stripping the noise component applies to masked views only (give the scenario a Mask).", nameof(stripNoise));
        var (publicViews, privateViews) = Views(scenario);
        using Tensor publicPixels = scenario.Public.ToTensor(), privatePixels = scenario.Private.ToTensor();
        var baselines = Baselines(scenario, layer, publicPixels, privatePixels);
        if (scenario.Mask is not { } mask)
        {
            ReconstructionScore host = Decode(publicViews[layer], publicPixels, privateViews[layer], privatePixels, scenario.Seed);
            return new ReconstructionResult(Name, layer, scenario.NoiseRatio, clock.Elapsed.TotalSeconds, host, baselines.Unprotected, baselines.Noise, baselines.Mean);
        }
        var recorder = new HostViewRecorder(scenario) { BatchSize = RecordingBatchSize };
        IReadOnlyList<MixtureGroups> publicGroups = MixtureGroups.Of(recorder.StepSizes(scenario.Public.Count), mask.GroupSize);
        IReadOnlyList<MixtureGroups> privateGroups = MixtureGroups.Of(recorder.StepSizes(scenario.Private.Count), mask.GroupSize);
        using var scope = NewDisposeScope();
        Tensor publicView = publicViews[layer], privateView = privateViews[layer];
        if (stripNoise)
            (publicView, privateView) = (MaskedViewDecoding.Strip(publicView, publicGroups), MaskedViewDecoding.Strip(privateView, privateGroups));
        ReconstructionScore masked = MaskedViewDecoding.Decode(publicView, publicGroups, publicPixels, privateView, privateGroups, privatePixels, _options, scenario.Seed);
        // The lower bound of this attack: the same decoder, loss and best-of-group scoring on noise of the view's shape.
        using var generator = new Generator((ulong)unchecked(scenario.Seed * 31 + 19));
        ReconstructionScore noise = MaskedViewDecoding.Decode(randn(publicView.shape, generator: generator), publicGroups, publicPixels,
            randn(privateView.shape, generator: generator), privateGroups, privatePixels, _options, scenario.Seed);
        return new ReconstructionResult(Name, $"{layer} {mask.Name}{(stripNoise ? " top-component-removed" : "")}", scenario.NoiseRatio, clock.Elapsed.TotalSeconds,
            masked, baselines.Unprotected, noise, baselines.Mean);
    }

    /// <summary>Trains a decoder from <paramref name="publicView"/> to <paramref name="publicPixels"/> and scores its
    /// output on <paramref name="privateView"/> against <paramref name="privatePixels"/>. Views are scaled by one
    /// factor, 1 / rms of the public view, so every layer and baseline starts equally conditioned.</summary>
    internal ReconstructionScore Decode(Tensor publicView, Tensor publicPixels, Tensor privateView, Tensor privatePixels, long seed)
    {
        using var scope = NewDisposeScope();
        var image = ((int)publicPixels.shape[1], (int)publicPixels.shape[2], (int)publicPixels.shape[3]);
        Tensor reconstructions = FeatureDecoder.FitAndReconstruct(publicView, image, privateView, _options, seed,
            (output, indices) => nn.functional.mse_loss(output, publicPixels.index_select(0, indices)));
        return ReconstructionScore.Of(reconstructions, privatePixels);
    }

    private (Dictionary<string, Tensor> Public, Dictionary<string, Tensor> Private) Views(AttackScenario scenario)
    {
        if (_views.TryGetValue(scenario, out var cached)) return cached;
        var recorder = new HostViewRecorder(scenario) { BatchSize = RecordingBatchSize };
        Dictionary<string, Tensor> publicViews = recorder.Inference(scenario.Public, seedOffset: 0);
        Dictionary<string, Tensor> privateViews = recorder.Inference(scenario.Private, seedOffset: 1_000_003);
        return _views[scenario] = (publicViews, privateViews);
    }

    /// <summary>The baselines do not depend on the noise: computed once per layer for scenarios that differ only in it.</summary>
    private (ReconstructionScore Unprotected, ReconstructionScore Noise, ReconstructionScore Mean) Baselines(AttackScenario scenario, string layer,
        Tensor publicPixels, Tensor privatePixels)
    {
        AttackScenario key = scenario with { NoiseRatio = 0, NoiseSeed = null, ResidualPrivacy = null, Mask = null };
        if (_baselines.TryGetValue((key, layer), out var cached)) return cached;
        using var scope = NewDisposeScope();
        // The layer inputs are owned here (the trusted oracle hands them out of every scope).
        using Tensor publicX = UnprotectedView.LayerInputs(scenario, scenario.Public, [layer])[layer];
        using Tensor privateX = UnprotectedView.LayerInputs(scenario, scenario.Private, [layer])[layer];
        ReconstructionScore unprotected = Decode(publicX, publicPixels, privateX, privatePixels, scenario.Seed);
        using var generator = new Generator((ulong)unchecked(scenario.Seed * 31 + 17));
        Tensor publicNoise = randn(publicX.shape, generator: generator), privateNoise = randn(privateX.shape, generator: generator);
        ReconstructionScore noise = Decode(publicNoise, publicPixels, privateNoise, privatePixels, scenario.Seed);
        Tensor mean = ImageSets.MeanImage(scenario.Public).expand_as(privatePixels);
        return _baselines[(key, layer)] = (unprotected, noise, ReconstructionScore.Of(mean, privatePixels));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (p, q) in _views.Values)
            foreach (Tensor t in p.Values.Concat(q.Values)) t.Dispose();
        _views.Clear();
    }
}
