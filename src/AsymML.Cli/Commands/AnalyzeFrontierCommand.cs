using System.CommandLine;
using AsymML.Cli.Rendering;
using AsymML.Data;
using AsymML.Network;
using AsymML.Privacy.Attacks;
using AsymML.Privacy.Frontier;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary>
/// <c>asymml analyze frontier</c>: per setting (rank policy, protection of the residual), the host's best
/// feature-inversion SSIM, the test accuracy after a fixed budget, the trusted-side time relative to TEE-only and the
/// enclave's ε, beside the untrusted-only and TEE-only references of the same run; a table, JSON and a PNG chart.
/// </summary>
internal static class AnalyzeFrontierCommand
{
    public static Command Create()
    {
        Option<string> data = DataOptions.Data();
        var model = new Option<string>("--model") { Description = $"Zoo model ({string.Join(", ", ModelZoo.Names)}).", DefaultValueFactory = _ => ModelZoo.SmallCnnName };
        var settings = new Option<string[]>("--setting")
        {
            Description = "A setting: policy[;nsr=x][;dp=σ[;clip=C][;quantile=q]] (policy: paper, fixed:r, energy:τ, each with optional +inside:k). Repeat the option for several; default: " +
                string.Join(" ", FrontierSetting.Defaults),
            AllowMultipleArgumentsPerToken = true,
        };
        var defaults = new FrontierOptions();
        Option<int> trainSamples = DataOptions.Positive("--train-samples", "Training images of each setting (second half of the training split).", defaults.TrainSamples);
        Option<int> testSamples = DataOptions.Positive("--test-samples", "Test images for the accuracy.", defaults.TestSamples);
        Option<int> epochs = DataOptions.Positive("--epochs", "Epochs of each setting's training.", defaults.Epochs);
        Option<int> batch = DataOptions.Positive("--batch", "Batch size of training.", defaults.BatchSize);
        Option<int> publicSamples = DataOptions.Positive("--public-samples", "Public images the attacker trains on (first half of the training split).", defaults.PublicSamples);
        Option<int> privateSamples = DataOptions.Positive("--private-samples", "Private test images the attacker reconstructs.", defaults.PrivateSamples);
        Option<int> attackEpochs = DataOptions.Positive("--attack-model-epochs", "Epochs the attacked model is trained through the plain split.", defaults.AttackModelEpochs);
        Option<int> width = DataOptions.Positive("--decoder-width", "Channels of the decoder's hidden convolutions.", defaults.Decoder.DecoderWidth);
        Option<int> decoderEpochs = DataOptions.Positive("--decoder-epochs", "Epochs of decoder training.", defaults.Decoder.Epochs);
        var allLayers = new Option<bool>("--all-layers") { Description = "Attack every split layer the host sees (default: the first, nearest the image)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the models, the order and the attacker.", DefaultValueFactory = _ => 1 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." };
        var plot = new Option<FileInfo?>("--plot") { Description = "Also draw attack SSIM against test accuracy (PNG) to this file." };
        var command = new Command("frontier", "The privacy/speed/accuracy frontier: per setting, the host's best feature inversion, test accuracy after a fixed budget, trusted time relative to TEE-only, and ε.")
        {
            data, model, settings, trainSamples, testSamples, epochs, batch, publicSamples, privateSamples, attackEpochs, width, decoderEpochs, allLayers, seed, json, plot,
        };
        command.SetAction(result =>
        {
            IReadOnlyList<FrontierSetting> chosen;
            try
            {
                chosen = (result.GetValue(settings) is { Length: > 0 } given ? given : FrontierSetting.Defaults).Select(FrontierSetting.Parse).ToList();
            }
            catch (FormatException e)
            {
                throw new UserErrorException($"--setting: {e.Message}", 1);
            }
            var options = new FrontierOptions
            {
                TrainSamples = result.GetValue(trainSamples), TestSamples = result.GetValue(testSamples), Epochs = result.GetValue(epochs),
                BatchSize = result.GetValue(batch), PublicSamples = result.GetValue(publicSamples), PrivateSamples = result.GetValue(privateSamples),
                AttackModelEpochs = result.GetValue(attackEpochs), Decoder = new FeatureInversionOptions(result.GetValue(width), result.GetValue(decoderEpochs)),
                AllLayers = result.GetValue(allLayers), Seed = result.GetValue(seed),
            };
            string dataName = result.GetValue(data)!;
            LabeledImages train = DataOptions.Load(dataName, "train", null), test = DataOptions.Load(dataName, "test", null);
            NetworkSpec spec;
            try
            {
                spec = ModelZoo.Create(result.GetValue(model)!, train.Channels, train.ClassNames?.Count ?? train.Labels.Max() + 1, imageSize: train.Rows);
            }
            catch (ArgumentException e)
            {
                throw new UserErrorException($"--model: {e.Message}", 1);
            }
            FrontierReport report;
            try
            {
                report = FrontierStudy.Run(spec, train, test, chosen, options, line => AnsiConsole.MarkupLine(Markup.Escape(line)));
            }
            catch (ArgumentException e)
            {
                throw new UserErrorException(e.Message, 1);
            }
            FrontierTable.Print(report);
            if (result.GetValue(json) is FileInfo j)
            {
                JsonReport.Write(j.FullName, new { report, machine = AttackReport.ThisMachine() });
                AnsiConsole.MarkupLineInterpolated($"JSON written to [bold]{j.FullName}[/]");
            }
            if (result.GetValue(plot) is FileInfo p)
            {
                FrontierPlot.Save(p.FullName, report, $"{spec.Name} on {dataName}: {options.TrainSamples} images × {options.Epochs} epochs");
                AnsiConsole.MarkupLineInterpolated($"Plot written to [bold]{p.FullName}[/]");
            }
            return 0;
        });
        return command;
    }
}
