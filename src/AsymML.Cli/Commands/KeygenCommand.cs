using System.CommandLine;
using AsymML.Sealing;
using Spectre.Console;
using AsymML.Enclave.Sealing;

namespace AsymML.Cli.Commands;

/// <summary><c>asymml keygen</c>: a new data owner's key (AES-256, for sealing data sets and opening sealed predictions).</summary>
internal static class KeygenCommand
{
    public static Command Create()
    {
        var output = OptionRules.RequiredOutput(new Option<FileInfo>("--out") { Description = "Key file to create (mode 0600; an existing file is kept unless --force).", Required = true });
        var force = new Option<bool>("--force") { Description = "Replace an existing key file (data sealed with the old key can no longer be opened)." };
        var command = new Command("keygen", "Create a data owner's key file. In a real TEE deployment the enclave receives this key only after remote attestation.")
        {
            output, force,
        };
        command.SetAction(result =>
        {
            FileInfo file = result.GetValue(output)!;
            using SealKey key = SealKey.Generate();
            try
            {
                key.Save(file.FullName, overwrite: result.GetValue(force));
            }
            catch (IOException e) when (File.Exists(file.FullName) && !result.GetValue(force))
            {
                throw new UserErrorException($"{file.FullName} exists; give --force to replace it ({e.Message}).");
            }
            AnsiConsole.MarkupLineInterpolated($"Key [bold]{key.KeyId}[/] written to {file.FullName} (owner-only permissions). Keep it away from the untrusted host.");
            return 0;
        });
        return command;
    }
}
