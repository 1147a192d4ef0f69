using Spectre.Console;
using System.CommandLine;
using AsymML.Data;
using AsymML.Sealing;
using AsymML.Enclave.Sealing;

namespace AsymML.Cli.Commands;

/// <summary>Options shared by the commands that read a data set, and the one place that resolves them.</summary>
internal static class DataOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "Data set: " + DataSetSpec.AcceptedForms,
        DefaultValueFactory = _ => "fashion-mnist",
    };

    public static Option<string> Split() => new("--split")
    {
        Description = "Which part of the data set: 'train' or 'test'.",
        DefaultValueFactory = _ => FashionMnist.TestSplit,
    };

    public static Option<int> Samples(int defaultValue) => Positive("--samples", "Number of images to read (the first n).", defaultValue);

    public static Option<int> Positive(string name, string description, int defaultValue) =>
        OptionRules.Require(new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
            v => v >= 1, v => $"{name} must be at least 1; got {v}.");

    /// <summary>Loads the first <paramref name="samples"/> images (all when null) of <paramref name="data"/>.</summary>
    public static LabeledImages Load(string data, string split, int? samples)
    {
        try
        {
            return DataSets.Load(data, split, samples);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UserErrorException($"--data '{data}': {e.Message}");
        }
    }

    /// <summary>Reads a key file, turning its errors into user errors.</summary>
    public static SealKey LoadKey(FileInfo file)
    {
        try
        {
            if (file.Exists) WarnIfOthersCanRead(file);
            return SealKey.Load(file.FullName);
        }
        catch (SealedDataException e)
        {
            throw new UserErrorException(e.Message);
        }
    }

    /// <summary>Says loudly when a key file can be read or written by other users than its owner (asymml keygen
    /// writes 0600): whoever reads it can open every sealed data set and result.</summary>
    public static void WarnIfOthersCanRead(FileInfo key)
    {
        if (KeySharingWarning(key) is string warning)
            AnsiConsole.MarkupLineInterpolated($"[yellow]{warning}[/]");
    }

    /// <summary>The warning for a key file that others may read or write; null when only its owner may.</summary>
    internal static string? KeySharingWarning(FileInfo key)
    {
        if (OperatingSystem.IsWindows()) return null;
        const UnixFileMode Shared = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        UnixFileMode mode = File.GetUnixFileMode(key.FullName);
        return (mode & Shared) == 0 ? null
            : $"warning: the key file {key.FullName} can be read by other users (mode {Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0')}); anyone who reads it can open every data set and result sealed with it. Run: chmod 600 {key.FullName}";
    }
}
