using System.CommandLine;
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
        var maxSamples = new Option<int?>("--max-samples") { Description = "Train on the first n training samples only." };
        var maxTest = new Option<int?>("--max-test-samples") { Description = "Test on the first n test samples only." };
        Option<string> mode = ExecutionOptions.Mode();
        Option<string> policy = ExecutionOptions.RankPolicy();
        var nsr = new Option<double>("--nsr") { Description = "Noise-to-signal ratio of the mask on every residual (0 = exact).", DefaultValueFactory = _ => 0 };
        Option<int> epochs = DataOptions.Positive("--epochs", "Epochs to train (with --resume: the total to reach).", 3);
        Option<int> batch = DataOptions.Positive("--batch", "Batch size.", 128);
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 0.001 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, or sgd (momentum 0.9, Nesterov).", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam");
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay.", DefaultValueFactory = _ => 0 };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: cosine (from --lr to 0 over the epochs) or constant.", DefaultValueFactory = _ => "cosine" };
        schedule.AcceptOnlyFromAmong("cosine", "constant");
        var augment = new Option<string>("--augment") { Description = "Augmentation inside the enclave: none, or crop:p[,flip] (random crop with padding p, horizontal flip).", DefaultValueFactory = _ => "none" };
        var seed = new Option<long>("--seed") { Description = "Seed of initial weights, sample order and augmentation.", DefaultValueFactory = _ => 1 };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = $"Folder for the checkpoint ({Checkpoint.FileName}, written atomically after each epoch; also the trained model for asymml infer)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --checkpoint (same settings needed)." };
        var enclaveProcess = new Option<bool>("--enclave-process") { Description = "Run the enclave as its own process (Unix socket boundary)." };
        var enclaveThreads = new Option<int?>("--enclave-threads") { Description = "Threads of the enclave process (emulates a slower TEE)." };
        var budget = new Option<double?>("--memory-budget-mb") { Description = "Private-memory budget of the enclave in MB (a step that needs more stops, naming the layer)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." };
        var plot = new Option<FileInfo?>("--plot") { Description = "Also draw loss and accuracy per epoch (PNG) to this file." };
        var command = new Command("train", "Train a CNN on private images: the untrusted host never sees a plaintext image or label of sealed data.")
        {
            model, data, testData, key, maxSamples, maxTest, mode, policy, nsr, epochs, batch, lr, optimizer, weightDecay, schedule, augment, seed,
            checkpoint, resume, enclaveProcess, enclaveThreads, budget, json, plot,
        };
        command.SetAction(result => TrainJob.Run(new TrainJob.Settings(
            result.GetValue(model)!, result.GetValue(data)!, result.GetValue(testData), result.GetValue(key), result.GetValue(maxSamples),
            result.GetValue(maxTest), result.GetValue(mode)!, result.GetValue(policy)!, result.GetValue(nsr), result.GetValue(epochs),
            result.GetValue(batch), result.GetValue(lr), result.GetValue(optimizer)!, result.GetValue(weightDecay), result.GetValue(schedule)!, result.GetValue(augment)!,
            result.GetValue(seed), result.GetValue(checkpoint), result.GetValue(resume), result.GetValue(enclaveProcess),
            result.GetValue(enclaveThreads), result.GetValue(budget), result.GetValue(json), result.GetValue(plot))));
        return command;
    }
}
