using AsymML.Optimization;
using System.Diagnostics;
using AsymML.Accelerator;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Privacy.Attacks;
using AsymML.Training;

namespace AsymML.Privacy.Frontier;

/// <summary>
/// The privacy/speed/accuracy frontier of a model on a data set. For each setting, in one process: a fresh model is
/// trained with that setting for the fixed budget through the real executor (test accuracy, trusted-side seconds,
/// the enclave's ε); the host's feature inversion (<see cref="FeatureInversionAttack"/>, its real view from the
/// transcript) is run on one attacked model (trained once through the plain split), with that setting's split and
/// protection, at the first split layer the host sees (or all). References in the same run: untrusted-only (the
/// accuracy target) and TEE-only (the time unit: trusted seconds of a whole-model enclave run on the same steps).
/// </summary>
public static class FrontierStudy
{
    /// <summary>Runs the study. <paramref name="trainSplit"/> is the training split: its first half is public (the
    /// attacker's), the owner trains on its second half; <paramref name="testSplit"/> gives the test and private images.</summary>
    public static FrontierReport Run(NetworkSpec spec, LabeledImages trainSplit, LabeledImages testSplit, IReadOnlyList<FrontierSetting> settings,
        FrontierOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trainSplit);
        ArgumentNullException.ThrowIfNull(testSplit);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        int half = trainSplit.Count / 2;
        if (options.PublicSamples > half || options.TrainSamples > trainSplit.Count - half)
            throw new ArgumentException($"{options.PublicSamples} public and {options.TrainSamples} training images: each half of the {trainSplit.Count} training images holds at most {half}.");
        if (Math.Max(options.TestSamples, options.PrivateSamples) > testSplit.Count)
            throw new ArgumentException($"{Math.Max(options.TestSamples, options.PrivateSamples)} test images asked for; the test split has {testSplit.Count}.");
        LabeledImages publicSet = ImageSets.Slice(trainSplit, 0, options.PublicSamples), training = ImageSets.Slice(trainSplit, half, options.TrainSamples);
        LabeledImages test = ImageSets.Slice(testSplit, 0, options.TestSamples), privateSet = ImageSets.Slice(testSplit, 0, options.PrivateSamples);

        log?.Invoke("reference: untrusted-only");
        var untrusted = Train(spec, training, test, new FrontierSetting("untrusted-only", new PaperRankPolicy()), ExecutionMode.UntrustedOnly, options);
        log?.Invoke("reference: TEE-only");
        var tee = Train(spec, training, test, new FrontierSetting("TEE-only", new PaperRankPolicy()), ExecutionMode.TeeOnly, options);
        FrontierRow Reference(string name, ExecutionMode mode, (double Accuracy, double Enclave, double Epsilon, long Releases) t) =>
            new(name, mode.ToString(), t.Accuracy, t.Enclave, t.Enclave / tee.Enclave, null, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
                double.NaN, double.NaN, 0, new Dictionary<string, double>());

        log?.Invoke($"attacked model: {options.AttackModelEpochs} epoch(s) through the plain split");
        using StateDict weights = TargetModel.Prepare(spec, training, new PaperRankPolicy(), options.AttackModelEpochs, options.Seed, options.BatchSize, options.LearningRate);
        using var attack = new FeatureInversionAttack(options.Decoder);
        var rows = new List<FrontierRow>();
        foreach (FrontierSetting setting in settings)
        {
            log?.Invoke($"{setting.Label}: training");
            (double Accuracy, double Enclave, double Epsilon, long Releases) trained;
            string? failure = null;
            try
            {
                trained = Train(spec, training, test, setting, ExecutionMode.Asym, options);
            }
            catch (Exception e) when (e is ExecutionException or TrainingDivergedException)
            {
                // A setting whose training breaks is a finding, not the end of the study: its row says why.
                failure = e.Message.Split('\n')[0];
                trained = (double.NaN, double.NaN, double.NaN, 0);
                log?.Invoke($"{setting.Label}: training failed: {failure}");
            }
            var scenario = new AttackScenario(spec, weights, setting.RankPolicy, setting.NoiseRatio, training, publicSet, privateSet, options.Seed,
                ResidualPrivacy: setting.ResidualPrivacy);
            IReadOnlyList<string> split = scenario.SplitLayers();
            var perLayer = new Dictionary<string, double>(StringComparer.Ordinal);
            ReconstructionResult? best = null;
            foreach (string layer in options.AllLayers ? split : split.Take(1))
            {
                log?.Invoke($"{setting.Label}: feature inversion at {layer}");
                ReconstructionResult r = attack.Invert(scenario, layer);
                perLayer[layer] = r.Ssim;
                if (best is null || r.Ssim > best.Ssim) best = r;
            }
            var privacy = setting.ResidualPrivacy;
            rows.Add(new FrontierRow(setting.Label, nameof(ExecutionMode.Asym), trained.Accuracy, trained.Enclave, trained.Enclave / tee.Enclave,
                best?.Target, best?.Ssim ?? double.NaN, best?.Psnr ?? double.NaN, best?.Noise.Ssim ?? double.NaN, best?.Unprotected.Ssim ?? double.NaN,
                best?.MeanImage.Ssim ?? double.NaN, privacy is null ? double.NaN : trained.Epsilon, privacy?.Delta ?? double.NaN, trained.Releases, perLayer, failure));
            log?.Invoke($"{setting.Label}: accuracy {trained.Accuracy:P2}, trusted time ×{trained.Enclave / tee.Enclave:0.00}, attack SSIM {best?.Ssim:0.000} (noise {best?.Noise.Ssim:0.000}), ε {trained.Epsilon:0.##}");
        }
        FrontierRow untrustedRow = Reference("untrusted-only", ExecutionMode.UntrustedOnly, untrusted), teeRow = Reference("TEE-only", ExecutionMode.TeeOnly, tee);
        var report = new FrontierReport(spec.Name, options, untrustedRow, teeRow, rows, [], clock.Elapsed.TotalSeconds);
        return report with { Private = rows.Where(r => r.AttackFails(options.SsimMargin) && report.Accurate(r)).Select(r => r.Setting).ToList() };
    }

    private static (double Accuracy, double Enclave, double Epsilon, long Releases) Train(NetworkSpec spec, LabeledImages training, LabeledImages test,
        FrontierSetting setting, ExecutionMode mode, FrontierOptions options)
    {
        var plan = new TrainingPlan(options.Epochs, options.BatchSize, options.Seed, CosineFromLearningRate: options.LearningRate);
        var trainingOptions = new PrivateTrainingOptions(mode, setting.RankPolicy, setting.NoiseRatio,
            new OptimizerSettings(OptimizerKind.Adam, options.LearningRate, 0, false), plan, ResidualPrivacy: setting.ResidualPrivacy);
        TrainingOutcome outcome = PrivateTraining.Run(spec, new PlainDataSource(training), new PlainDataSource(test), trainingOptions);
        EpochSummary last = outcome.History[^1];
        return (last.TestAccuracy, outcome.History.Sum(e => e.EnclaveSeconds), last.ResidualEpsilon, last.MaxResidualReleases);
    }
}
