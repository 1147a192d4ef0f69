using AsymML.Optimization;
using System.CommandLine;
using AsymML.Accelerator;
using AsymML.Data;
using AsymML.Training;
using AsymML.Network;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml train</c>: private training of a CNN on a (sealed) data set, with the test accuracy after each
/// epoch, the time split between enclave, accelerator and boundary, checkpoints, JSON and a PNG of the curves.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"Zoo model ({string.Join(", ", ModelZoo.Names)}) or a checkpoint file to start from.", DefaultValueFactory = _ => ModelZoo.SmallCnnName };
        var data = new Option<string>("--data") { Description = "Training data: a sealed file (.asymdata, needs --key) or a plain data set: " + DataSetSpec.AcceptedForms, Required = true };
        var testData = new Option<string?>("--test-data") { Description = "Test data: a sealed file, or a plain data set (default for plain data: its test split; sealed data has none unless given)." };
        var key = new Option<FileInfo?>("--key") { Description = "The data owner's key file, read by the enclave only; needed for sealed data, and seals the predictions." };
        var maxSamples = OptionRules.Require(new Option<int?>("--max-samples") { Description = "Train on the first n training samples only." },
            v => v is not < 2, v => $"--max-samples must be at least 2; got {v}.");
        var maxTest = OptionRules.Require(new Option<int?>("--max-test-samples") { Description = "Test on the first n test samples only." },
            v => v is not < 1, v => $"--max-test-samples must be at least 1; got {v}.");
        Option<Execution.ExecutionMode> mode = ExecutionOptions.Mode();
        Option<Decomposition.RankPolicy> policy = ExecutionOptions.RankPolicy();
        Option<Decomposition.SplitMethod> method = ExecutionOptions.SplitMethod();
        Option<Boundary.Session.VerificationSettings> verify = ExecutionOptions.Verify();
        Option<string> mask = ExecutionOptions.Mask();
        var nsr = OptionRules.Require(new Option<double>("--nsr") { Description = "Noise-to-signal ratio of the mask on every residual (0 = exact).", DefaultValueFactory = _ => 0 },
            v => v >= 0 && double.IsFinite(v), v => $"--nsr must be a finite number ≥ 0; got {v}.");
        ResidualPrivacyOptions dp = new();
        Option<int> epochs = DataOptions.Positive("--epochs", "Epochs to train (with --resume: the total to reach).", 3);
        var batch = OptionRules.Require(new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 },
            v => v >= 2, v => $"--batch must be at least 2 (BatchNorm); got {v}.");
        var lr = OptionRules.Require(new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 0.001 },
            v => v > 0, v => $"--lr must be positive; got {v}.");
        Option<OptimizerKind> optimizer = ExecutionOptions.Optimizer();
        var weightDecay = OptionRules.Require(new Option<double>("--weight-decay") { Description = "L2 weight decay.", DefaultValueFactory = _ => 0 },
            v => v >= 0, v => $"--weight-decay must be ≥ 0; got {v}.");
        Option<LearningRateSchedule> schedule = Choice.Of("--schedule", "a learning-rate schedule",
            "Learning-rate schedule: cosine (from --lr to 0 over the epochs) or constant.", LearningRateSchedule.Cosine,
            ("cosine", LearningRateSchedule.Cosine), ("constant", LearningRateSchedule.Constant));
        var augment = new Option<Augmentation?>("--augment")
        {
            Description = "Augmentation inside the enclave: none (the default), or crop:p[,flip] (random crop with padding p, horizontal flip).",
            HelpName = "none|crop:p[,flip]",
            CustomParser = result =>
            {
                try
                {
                    return TrainJob.ParseAugmentation(result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value);
                }
                catch (FormatException e)
                {
                    result.AddError(e.Message);
                    return null;
                }
            },
        };
        var seed = new Option<long>("--seed") { Description = "Seed of initial weights, sample order and augmentation.", DefaultValueFactory = _ => 1 };
        var checkpoint = OptionRules.OutputFolder(new Option<DirectoryInfo?>("--checkpoint") { Description = $"Folder for the checkpoint ({Checkpoint.FileName}, written atomically after each epoch; also the trained model for asymml infer)." });
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --checkpoint (same settings needed)." };
        var enclaveProcess = new Option<bool>("--enclave-process") { Description = "Run the enclave as its own process (Unix socket boundary)." };
        Option<int?> enclaveThreads = ExecutionOptions.EnclaveThreads("Threads of the enclave process (emulates a slower TEE).");
        var budget = OptionRules.Require(new Option<double?>("--memory-budget-mb") { Description = "Private-memory budget of the enclave in MB (a step that needs more stops, naming the layer)." },
            v => v is not <= 0, v => $"--memory-budget-mb must be positive; got {v}.");
        var json = OptionRules.Output(new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." });
        var plot = OptionRules.Output(new Option<FileInfo?>("--plot") { Description = "Also draw loss and accuracy per epoch (PNG) to this file." });
        var command = new Command("train", "Train a CNN on private images: the untrusted host never sees a plaintext image or label of sealed data.")
        {
            model, data, testData, key, maxSamples, maxTest, mode, policy, method, verify, mask, nsr, epochs, batch, lr, optimizer, weightDecay, schedule, augment, seed,
            checkpoint, resume, enclaveProcess, enclaveThreads, budget, json, plot,
        };
        dp.AddTo(command, nsr);
        ExecutionOptions.RefuseEnclaveProcessWithoutEnclave(enclaveProcess, mode);
        resume.Validators.Add(result => // on the option: a failed command check would hide the options' errors
        {
            if (result.GetValueOrDefault<bool>() && result.GetValue(checkpoint) is null)
                result.AddError("--resume needs --checkpoint <folder>.");
        });
        command.SetAction(result =>
        {
            DirectoryInfo? folder = result.GetValue(checkpoint);
            double rate = result.GetValue(lr), decay = result.GetValue(weightDecay);
            OptimizerSettings optimizerSettings = result.GetValue(optimizer) == OptimizerKind.Adam
                ? new OptimizerSettings(OptimizerKind.Adam, rate, 0, false, decay)
                : new OptimizerSettings(OptimizerKind.Sgd, rate, 0.9, true, decay);
            var plan = new TrainingPlan(result.GetValue(epochs), result.GetValue(batch), result.GetValue(seed), result.GetValue(maxSamples), result.GetValue(maxTest),
                folder is null ? null : Path.Combine(folder.FullName, Checkpoint.FileName),
                result.GetValue(schedule) == LearningRateSchedule.Cosine ? rate : null);
            var options = new PrivateTrainingOptions(result.GetValue(mode), result.GetValue(policy)!, result.GetValue(nsr), optimizerSettings, plan,
                result.GetValue(key)?.FullName, result.GetValue(augment), result.GetValue(enclaveProcess), result.GetValue(enclaveThreads),
                result.GetValue(budget) is double mb ? (long)(mb * 1e6) : null, result.GetValue(resume), SplitMethod: result.GetValue(method), Verify: result.GetValue(verify),
                ResidualPrivacy: dp.Settings(result), Mask: ExecutionOptions.MaskOf(result, mask));
            return TrainJob.Run(new TrainJob.Request(result.GetValue(model)!, result.GetValue(data)!, result.GetValue(testData), result.GetValue(key),
                folder, result.GetValue(json), result.GetValue(plot), options));
        });
        return command;
    }
}
