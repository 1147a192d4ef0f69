using System.CommandLine;
using System.Globalization;
using AsymML.Cli.Rendering;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Privacy.Attacks;
using AsymML.Training;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary>
/// <c>asymml analyze attack feature-inversion|gradient-inversion|label-leakage</c>: the curious host's attacks on its
/// real view (the transcript of the real executor), each beside its baselines from the same run. The data: the first
/// half of the training split is public (the attacker's), the data owner trains the model on samples from the second
/// half, and the private targets are test images (feature inversion) or training batches (the other two).
/// </summary>
internal static class AnalyzeAttackCommand
{
    public static Command Create()
    {
        var command = new Command("attack", "Attacks by the curious host on what it really receives, against the unprotected-input, noise and mean-image baselines of the same run.");
        command.Subcommands.Add(FeatureInversion());
        command.Subcommands.Add(GradientInversion());
        command.Subcommands.Add(LabelLeakage());
        return command;
    }

    /// <summary>Options every attack takes.</summary>
    private sealed class Common
    {
        public Option<string> Data { get; } = DataOptions.Data();
        public Option<string> Model { get; } = new("--model") { Description = $"Zoo model ({string.Join(", ", ModelZoo.Names)}).", DefaultValueFactory = _ => ModelZoo.SmallCnnName };
        public Option<bool> WithoutBatchNorm { get; } = new("--without-batchnorm") { Description = "Remove the model's BatchNorm layers (the enclave refuses training steps of one sample with BatchNorm)." };
        public Option<RankPolicy> Policy { get; } = ExecutionOptions.RankPolicy();
        public Option<string> Nsr { get; }
        public Option<int> TrainSamples { get; } = DataOptions.Positive("--train-samples", "Samples of the data owner's training set (from the second half of the training split).", 3000);
        public Option<int> TrainEpochs { get; } = NonNegative("--train-epochs", "Epochs the data owner trains the model for before the attack (0: a seeded initialisation).", 1);
        public Option<int> PublicSamples { get; } = DataOptions.Positive("--public-samples", "Public images the attacker trains on (from the first half of the training split).", 2000);
        public Option<long> Seed { get; } = new("--seed") { Description = "Seed of the model, the data order and the attacker.", DefaultValueFactory = _ => 1 };
        public Option<FileInfo?> Json { get; } = OptionRules.Output(new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." });

        public Common(string defaultNsr) => Nsr = new Option<string>("--nsr") { Description = "Noise-to-signal ratios of the mask, comma-separated (one run each).", DefaultValueFactory = _ => defaultNsr };

        public void AddTo(Command command)
        {
            foreach (Option option in new Option[] { Data, Model, WithoutBatchNorm, Policy, Nsr, TrainSamples, TrainEpochs, PublicSamples, Seed, Json })
                command.Options.Add(option);
        }
    }

    private static Command FeatureInversion()
    {
        var common = new Common("0,0.05");
        var layers = new Option<string?>("--layers") { Description = "Split convolutions to attack, comma-separated (default: every one the host sees)." };
        Option<int> privateSamples = DataOptions.Positive("--private-samples", "Private test images to reconstruct.", 200);
        Option<int> width = DataOptions.Positive("--decoder-width", "Channels of the decoder's hidden convolutions.", 32);
        Option<int> epochs = DataOptions.Positive("--decoder-epochs", "Epochs of decoder training on the public images.", 5);
        var masks = new Option<string>("--mask")
        {
            Description = "Maskings of what leaves, comma-separated (one run each): off, darknight[:g[:σ]]. A masked run attacks the mixtures as received and with each group's top principal component removed.",
            DefaultValueFactory = _ => "off",
        };
        var command = new Command("feature-inversion", "A decoder trained on public images maps what the host receives at a layer (X^U) back to the image.") { layers, privateSamples, width, epochs, masks };
        common.AddTo(command);
        command.SetAction(result =>
        {
            var options = new FeatureInversionOptions(result.GetValue(width), result.GetValue(epochs));
            Boundary.Session.MaskingSettings?[] maskings = Maskings(result.GetValue(masks)!);
            return Run(result, common, "feature-inversion", result.GetValue(privateSamples), int.MaxValue, scenarios =>
            {
                using var attack = new FeatureInversionAttack(options);
                IReadOnlyList<string>? chosen = Split(result.GetValue(layers));
                var results = new List<AttackResult>();
                foreach (AttackScenario unmasked in scenarios)
                    foreach (Boundary.Session.MaskingSettings? mask in maskings)
                    {
                        AttackScenario s = unmasked with { Mask = mask };
                        foreach (string layer in chosen ?? s.SplitLayers())
                        {
                            results.Add(Report(attack.Invert(s, layer)));
                            if (mask is not null) results.Add(Report(attack.Invert(s, layer, stripNoise: true)));
                        }
                    }
                return results;
            });
        });
        return command;
    }

    private static Command GradientInversion()
    {
        var common = new Common("0");
        var batches = new Option<string>("--batch") { Description = "Batch sizes of the attacked steps, comma-separated.", DefaultValueFactory = _ => "1,8" };
        var objective = new Option<string>("--objective") { Description = "cosine (Inverting Gradients), l2 (DLG) or both.", DefaultValueFactory = _ => "both" };
        objective.AcceptOnlyFromAmong("cosine", "l2", "both");
        Option<int> iterations = DataOptions.Positive("--iterations", "Optimiser steps on the dummy batch.", 200);
        var lr = new Option<double>("--lr") { Description = "Adam's initial step size.", DefaultValueFactory = _ => 0.1 };
        var labels = new Option<string>("--labels") { Description = "known (the true labels) or recovered (from the same view).", DefaultValueFactory = _ => "known" };
        labels.AcceptOnlyFromAmong("known", "recovered");
        var match = new Option<string>("--match") { Description = "weights (the summed gradient only) or weights+dy (also dY of the split convolutions).", DefaultValueFactory = _ => "weights+dy" };
        match.AcceptOnlyFromAmong("weights", "weights+dy");
        Option<int> count = DataOptions.Positive("--batches", "Training steps attacked per setting.", 1);
        var command = new Command("gradient-inversion", "Reconstruct a training batch by matching the gradients the host receives (Inverting Gradients, DLG).") { batches, objective, iterations, lr, labels, match, count };
        common.AddTo(command);
        command.SetAction(result =>
        {
            int[] sizes = Sizes(result.GetValue(batches)!, "--batch");
            GradientObjective[] objectives = result.GetValue(objective) switch
            {
                "cosine" => [GradientObjective.Cosine],
                "l2" => [GradientObjective.L2],
                _ => [GradientObjective.Cosine, GradientObjective.L2],
            };
            return Run(result, common, "gradient-inversion", 1, sizes.Min(), scenarios =>
            {
                var results = new List<AttackResult>();
                foreach (AttackScenario s in scenarios)
                    foreach (int b in sizes)
                        foreach (GradientObjective o in objectives)
                        {
                            var options = new GradientInversionOptions(o, b, result.GetValue(iterations), result.GetValue(lr),
                                Labels: result.GetValue(labels) == "recovered" ? LabelSource.Recovered : LabelSource.Known,
                                MatchOutputGradients: result.GetValue(match) == "weights+dy", Batches: result.GetValue(count));
                            results.Add(Report(new GradientInversionAttack(options).Invert(s)));
                        }
                return results;
            });
        });
        return command;
    }

    private static Command LabelLeakage()
    {
        var common = new Common("0");
        var batches = new Option<string>("--batch") { Description = "Batch sizes of the attacked steps, comma-separated.", DefaultValueFactory = _ => "1,8" };
        var signal = new Option<string>("--signal") { Description = "classifier-gradient, output-gradient (dY of the last split convolution) or both.", DefaultValueFactory = _ => "both" };
        signal.AcceptOnlyFromAmong("classifier-gradient", "output-gradient", "both");
        Option<int> steps = DataOptions.Positive("--steps", "Training steps attacked per setting.", 20);
        var command = new Command("label-leakage", "Read the labels of training batches from the gradients the host receives.") { batches, signal, steps };
        common.AddTo(command);
        command.SetAction(result =>
        {
            int[] sizes = Sizes(result.GetValue(batches)!, "--batch");
            LabelSignal[] signals = result.GetValue(signal) switch
            {
                "classifier-gradient" => [LabelSignal.ClassifierGradient],
                "output-gradient" => [LabelSignal.OutputGradient],
                _ => [LabelSignal.ClassifierGradient, LabelSignal.OutputGradient],
            };
            return Run(result, common, "label-leakage", 1, sizes.Min(), scenarios =>
            {
                var results = new List<AttackResult>();
                foreach (AttackScenario s in scenarios)
                    foreach (int b in sizes)
                        foreach (LabelSignal g in signals)
                            results.Add(Report(new LabelLeakageAttack(new LabelLeakageOptions(g, b, result.GetValue(steps))).Recover(s)));
                return results;
            });
        });
        return command;
    }

    /// <summary>Loads the data, checks the batch sizes against BatchNorm, prepares the model (trained or seeded), builds one scenario per nsr and runs the attacks.</summary>
    private static int Run(ParseResult result, Common common, string attack, int privateSamples, int smallestBatch, Func<IReadOnlyList<AttackScenario>, List<AttackResult>> run)
    {
        double[] noise = Ratios(result.GetValue(common.Nsr)!);
        RankPolicy policy = result.GetValue(common.Policy)!;
        string data = result.GetValue(common.Data)!;
        int trainSamples = result.GetValue(common.TrainSamples), publicSamples = result.GetValue(common.PublicSamples), epochs = result.GetValue(common.TrainEpochs);
        long seed = result.GetValue(common.Seed);
        LabeledImages all = DataOptions.Load(data, "train", null);
        int half = all.Count / 2;
        if (publicSamples > half || trainSamples > all.Count - half)
            throw new UserErrorException($"--public-samples {publicSamples} and --train-samples {trainSamples}: each half of the {all.Count} training images holds at most {half}.", 1);
        LabeledImages publicSet = ImageSets.Slice(all, 0, publicSamples), training = ImageSets.Slice(all, half, trainSamples);
        LabeledImages privateSet = DataOptions.Load(data, "test", privateSamples);
        NetworkSpec spec = Spec(result.GetValue(common.Model)!, all, result.GetValue(common.WithoutBatchNorm));
        if (smallestBatch == 1 && spec.AllLayers().Any(l => l is BatchNorm2dLayer))
            throw new UserErrorException("--batch 1: the enclave refuses a training step of one sample for a network with BatchNorm (its batch statistics would be that one sample's); add --without-batchnorm for batch 1, or give batches of 2 or more.", 1);
        AnsiConsole.MarkupLineInterpolated($"[bold]{spec.Name}[/], ranks {policy.Name}, nsr {string.Join(", ", noise.Select(n => n.ToString(CultureInfo.InvariantCulture)))}: {publicSamples} public images, {trainSamples} owner's training images, {privateSet.Count} private test images; model {(epochs == 0 ? "seeded initialisation" : $"trained {epochs} epoch(s) through the split")}.");
        var history = new List<EpochSummary>();
        using StateDict weights = TargetModel.Prepare(spec, training, policy, epochs, seed, history: history);
        double? trainAccuracy = history.Count > 0 ? history[^1].TrainAccuracy : null;
        if (trainAccuracy is double accuracy)
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Model: training accuracy {accuracy * 100:0.0}% in its last epoch."));
        AttackScenario[] scenarios = noise.Select(n => new AttackScenario(spec, weights, policy, n, training, publicSet, privateSet, seed)).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<AttackResult> results = run(scenarios);
        var report = new AttackReport(attack, spec.Name, policy.Name, epochs, trainAccuracy, publicSamples, trainSamples, privateSet.Count, seed,
            AttackReport.ThisMachine(), clock.Elapsed.TotalSeconds, results.Cast<object>().ToList());
        if (result.GetValue(common.Json) is FileInfo json)
        {
            JsonReport.Write(json.FullName, report);
            AnsiConsole.MarkupLineInterpolated($"JSON written to [bold]{json.FullName}[/]");
        }
        return 0;
    }

    /// <summary>Prints one result as it comes (runs are long).</summary>
    private static AttackResult Report(AttackResult result)
    {
        AttackReport.Print(result);
        return result;
    }

    private static NetworkSpec Spec(string model, LabeledImages data, bool withoutBatchNorm)
    {
        try
        {
            NetworkSpec spec = ModelZoo.Create(model, data.Channels, data.ClassNames?.Count ?? data.Labels.Max() + 1, imageSize: data.Rows);
            return withoutBatchNorm ? new NetworkSpec(spec.Name + "-nobn", spec.InputChannels, spec.Layers.Where(l => l is not BatchNorm2dLayer)) : spec;
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException($"--model: {e.Message}", 1);
        }
    }

    private static IReadOnlyList<string>? Split(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static double[] Ratios(string text)
    {
        var values = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v >= 0) || double.IsInfinity(v))
                throw new UserErrorException($"--nsr: '{part}' is not a finite number ≥ 0 (give e.g. 0,0.05).", 1);
            values.Add(v);
        }
        return values.Count > 0 ? values.ToArray() : throw new UserErrorException("--nsr: give at least one ratio, e.g. 0,0.05.", 1);
    }

    private static Boundary.Session.MaskingSettings?[] Maskings(string text)
    {
        var values = new List<Boundary.Session.MaskingSettings?>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                values.Add(Boundary.Session.MaskingSettings.Parse(part));
            }
            catch (FormatException e)
            {
                throw new UserErrorException($"--mask: {e.Message}", 1);
            }
        }
        return values.Count > 0 ? values.ToArray() : throw new UserErrorException("--mask: give at least one setting, e.g. off,darknight:8:4.", 1);
    }

    private static int[] Sizes(string text, string option)
    {
        var values = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
                throw new UserErrorException($"{option}: '{part}' is not a batch size ≥ 1 (give e.g. 1,8).", 1);
            values.Add(v);
        }
        return values.Count > 0 ? values.ToArray() : throw new UserErrorException($"{option}: give at least one batch size, e.g. 1,8.", 1);
    }

    private static Option<int> NonNegative(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
                r.AddError($"{name} must be at least 0; got {r.GetValueOrDefault<int>()}.");
        });
        return option;
    }
}
