using System.CommandLine;
using System.Globalization;
using AsymML.Accelerator;
using AsymML.Cli.Rendering;
using AsymML.Decomposition;
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
        var maxSamples = new Option<int?>("--max-samples") { Description = "Classify only the first n samples." };
        Option<string> mode = ExecutionOptions.Mode();
        Option<string> policy = ExecutionOptions.RankPolicy();
        Option<int> batch = DataOptions.Positive("--batch", "Batch size.", 256);
        var enclaveProcess = new Option<bool>("--enclave-process") { Description = "Run the enclave as its own process." };
        var predictions = new Option<FileInfo?>("--predictions") { Description = "Write the predictions here: CSV for plain data, sealed to the owner's key (open with asymml unseal) when --key is given." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file." };
        var command = new Command("infer", "Classify a (sealed) data set with a trained model inside the enclave.")
        {
            model, data, key, maxSamples, mode, policy, batch, enclaveProcess, predictions, json,
        };
        command.SetAction(result =>
        {
            using Checkpoint checkpoint = Checkpoint.Load(result.GetValue(model)!);
            int? max = result.GetValue(maxSamples);
            if (max is < 1) throw new UserErrorException($"--max-samples must be at least 1; got {max}.", 1);
            DataSource source = DataSources.Open(result.GetValue(data)!, "test", result.GetValue(key), max);
            RankPolicy rankPolicy = ExecutionOptions.ParsePolicy(result.GetValue(policy)!);
            ExecutionMode executionMode = ExecutionOptions.ParseMode(result.GetValue(mode)!);
            var plan = new TrainingPlan(1, Math.Max(2, result.GetValue(batch)), 0, MaxTestSamples: max);
            var options = new PrivateTrainingOptions(executionMode, rankPolicy, 0, new OptimizerSettings(), plan, result.GetValue(key)?.FullName,
                EnclaveProcess: result.GetValue(enclaveProcess));
            using IExecutor executor = PrivateTraining.CreateExecutor(checkpoint.Spec, source, checkpoint.State, options);
            int count = executor.Provision(PrivateTrainer.TestSplit, source);
            ((double loss, double accuracy), EvaluationResult evaluation) = new PrivateTrainer(executor, plan, "").Test(count);
            IReadOnlyList<string>? names = source is SealedDataSource s ? s.Header.ClassNames : (source as PlainDataSource)?.Images.ClassNames;
            Print(evaluation, names, loss);
            if (result.GetValue(predictions) is FileInfo file)
            {
                AtomicFile.Write(file.FullName, stream => stream.Write(evaluation.Predictions));
                AnsiConsole.MarkupLineInterpolated($"Predictions of {evaluation.Count} samples written to {file.FullName} ({(evaluation.PredictionsSealed ? "sealed to the data owner's key: asymml unseal opens it" : "plain CSV")}).");
            }
            if (result.GetValue(json) is FileInfo j)
                JsonReport.Write(j.FullName, new
                {
                    model = checkpoint.Spec.Name, mode = executionMode.ToString(), samples = evaluation.Count, loss, accuracy = evaluation.Accuracy,
                    perClassAccuracy = evaluation.PerClassAccuracy, confusion = evaluation.Confusion, predictionsSealed = evaluation.PredictionsSealed,
                });
            return 0;
        });
        return command;
    }

    private static void Print(EvaluationResult e, IReadOnlyList<string>? names, double loss)
    {
        string Name(int k) => names is not null && k < names.Count ? names[k] : k.ToString(CultureInfo.InvariantCulture);
        // Predicted classes by number, so ten columns fit 80 characters; the rows carry the names.
        var table = new Table().Title("Confusion matrix (rows: true class; columns: predicted class number)").AddColumn("true class");
        for (int k = 0; k < e.Classes; k++) table.AddColumn(new TableColumn(k.ToString(CultureInfo.InvariantCulture)).RightAligned());
        table.AddColumn(new TableColumn("acc.").RightAligned());
        double[] perClass = e.PerClassAccuracy;
        for (int k = 0; k < e.Classes; k++)
            table.AddRow([$"{k} {Markup.Escape(Name(k))}", .. Enumerable.Range(0, e.Classes).Select(j => e.Confusion[k * e.Classes + j].ToString(CultureInfo.InvariantCulture)),
                perClass[k].ToString("0.00", CultureInfo.InvariantCulture)]);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[bold]Accuracy {e.Accuracy * 100:0.00}%[/] on {e.Count} samples (mean loss {loss:0.0000})."));
    }
}
