using System.CommandLine;
using AsymML.IO;
using AsymML.Sealing;
using Spectre.Console;
using AsymML.Enclave.Sealing;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml unseal</c>: the data owner opens a result the enclave sealed to their key (e.g. predictions).</summary>
internal static class UnsealCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--in") { Description = "Sealed result (e.g. from asymml infer --predictions).", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "The data owner's key file.", Required = true };
        var output = OptionRules.RequiredOutput(new Option<FileInfo>("--out") { Description = "Plaintext file to write.", Required = true });
        var purpose = new Option<string>("--purpose") { Description = "What was sealed, as the enclave named it.", DefaultValueFactory = _ => "predictions of test" };
        var command = new Command("unseal", "Open a result the enclave sealed to the data owner's key.") { input, key, output, purpose };
        command.SetAction(result =>
        {
            FileInfo file = result.GetValue(input)!;
            if (!file.Exists) throw new UserErrorException($"{file.FullName} does not exist.");
            using SealKey sealKey = DataOptions.LoadKey(result.GetValue(key)!);
            byte[] plain;
            try
            {
                plain = SealedBlob.Open(File.ReadAllBytes(file.FullName), sealKey, result.GetValue(purpose)!, file.FullName);
            }
            catch (SealedDataException e)
            {
                throw new UserErrorException(e.Message);
            }
            AtomicFile.Write(result.GetValue(output)!.FullName, stream => stream.Write(plain), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            AnsiConsole.MarkupLineInterpolated($"Opened {file.Name}: {plain.Length} bytes → {result.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }
}
