using System.CommandLine;
using AsymML.Cli.Rendering;
using AsymML.Execution;
using AsymML.Training;
using AsymML.IO;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml infer</c>: a trained model (a checkpoint) on a (sealed) data set: accuracy, per-class accuracy,
/// confusion matrix, and the predictions — sealed to the data owner's key when there is one.</summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = $"A checkpoint file or folder written by asymml train ({Checkpoint.FileName}).", Required = true };
        var data = new Option<string>("--data") { Description = "A sealed file (.asymdata, needs --key) or a plain data set (its test split).", Required = true };
        var key = new Option<FileInfo?>("--key") { Description = "The data owner's key file, read by the enclave only: opens sealed data and seals the predictions." };
        var maxSamples = OptionRules.Require(new Option<int?>("--max-samples") { Description = "Classify only the first n samples." },
            v => v is not < 1, v => $"--max-samples must be at least 1; got {v}.");
        Option<ExecutionMode> mode = ExecutionOptions.Mode();
        Option<Decomposition.RankPolicy> policy = ExecutionOptions.RankPolicy();
        Option<Decomposition.SplitMethod> method = ExecutionOptions.SplitMethod();
        Option<Boundary.Session.VerificationSettings> verify = ExecutionOptions.Verify();
        Option<string> mask = ExecutionOptions.Mask();
        Option<int> batch = DataOptions.Positive("--batch", "Batch size.", 256);
        var enclaveProcess = new Option<bool>("--enclave-process") { Description = "Run the enclave as its own process." };
        var predictions = OptionRules.Output(new Option<FileInfo?>("--predictions") { Description = "Write the predictions here: CSV for plain data, sealed to the owner's key (open with asymml unseal) when --key is given." });
        var json = OptionRules.Output(new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." });
        var command = new Command("infer", "Classify a (sealed) data set with a trained model inside the enclave.")
        {
            model, data, key, maxSamples, mode, policy, method, verify, mask, batch, enclaveProcess, predictions, json,
        };
        ExecutionOptions.RefuseEnclaveProcessWithoutEnclave(enclaveProcess, mode);
        command.SetAction(result =>
        {
            int? max = result.GetValue(maxSamples);
            FileInfo? keyFile = result.GetValue(key);
            if (keyFile is null)
                AnsiConsole.MarkupLine("[yellow]No --key: the enclave takes the checkpoint's weights UNAUTHENTICATED (it has no key to check their tag with).[/]");
            DataSource source = DataSources.Open(result.GetValue(data)!, "test", keyFile, max);
            InferenceOutcome outcome = PrivateInference.Run(new PrivateInferenceOptions(result.GetValue(model)!, source, result.GetValue(mode),
                result.GetValue(policy)!, result.GetValue(batch), max, keyFile?.FullName, EnclaveProcess: result.GetValue(enclaveProcess),
                SplitMethod: result.GetValue(method), Verify: result.GetValue(verify), Mask: ExecutionOptions.MaskOf(result, mask)));
            var report = InferReport.From(outcome);
            report.Print(source is SealedDataSource s ? s.Header.ClassNames : (source as PlainDataSource)?.Images.ClassNames);
            if (result.GetValue(predictions) is FileInfo file)
            {
                AtomicFile.Write(file.FullName, stream => stream.Write(outcome.Evaluation.Predictions));
                AnsiConsole.MarkupLineInterpolated($"Predictions of {outcome.Evaluation.Count} samples written to {file.FullName} ({(outcome.Evaluation.PredictionsSealed ? "sealed to the data owner's key: asymml unseal opens it" : "plain CSV")}).");
            }
            if (result.GetValue(json) is FileInfo j) JsonReport.Write(j.FullName, report);
            return 0;
        });
        return command;
    }
}
