using System.CommandLine;
using System.Diagnostics;
using AsymML.Data;
using AsymML.Sealing;
using Spectre.Console;
using AsymML.Enclave.Sealing;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml seal</c>: encrypt a data set (images and labels) for the enclave, chunk by chunk, with AES-256-GCM.</summary>
internal static class SealCommand
{
    public static Command Create()
    {
        Option<string> data = DataOptions.Data();
        Option<string> split = DataOptions.Split();
        var key = new Option<FileInfo>("--key") { Description = "The data owner's key file (asymml keygen).", Required = true };
        var output = OptionRules.RequiredOutput(new Option<FileInfo>("--out") { Description = "Sealed data set to write (.asymdata); written atomically.", Required = true });
        var max = new Option<int?>("--max-samples") { Description = "Seal only the first n samples." };
        Option<int> chunk = DataOptions.Positive("--chunk-size", "Samples per encrypted chunk.", SealedDataWriter.DefaultChunkSize);
        var force = new Option<bool>("--force") { Description = "Replace an existing sealed file." };
        output.Validators.Add(result =>
        {
            if (OptionRules.TryGetValue(result, output, out FileInfo? file) && file is { Exists: true } && !result.GetValue(force))
                result.AddError($"{file.FullName} exists; give --force to replace it.");
        });
        var command = new Command("seal", "Seal a data set: the untrusted host will hold only this ciphertext; only the enclave, with the key, can open it.")
        {
            data, split, key, output, max, chunk, force,
        };
        command.SetAction(result =>
        {
            int? limit = result.GetValue(max);
            if (limit is < 1) throw new UserErrorException($"--max-samples must be at least 1; got {limit}.");
            LabeledImages images = DataOptions.Load(result.GetValue(data)!, result.GetValue(split)!, limit);
            using SealKey sealKey = DataOptions.LoadKey(result.GetValue(key)!);
            var clock = Stopwatch.StartNew();
            SealedHeader header = SealedDataWriter.Write(images, result.GetValue(output)!.FullName, sealKey, result.GetValue(chunk));
            AnsiConsole.MarkupLineInterpolated(
                $"Sealed {header.Count} samples ({header.Channels}×{header.Rows}×{header.Cols}, {header.ClassCount} classes) in {header.ChunkCount} chunks with key {sealKey.KeyId} → {result.GetValue(output)!.FullName} ({clock.Elapsed.TotalSeconds:0.0} s).");
            return 0;
        });
        return command;
    }
}
