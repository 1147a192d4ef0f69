using System.CommandLine;
using System.CommandLine.Parsing;

namespace AsymML.Cli.Commands;

/// <summary>Range checks run by the parser, so every bad value of a command line is reported together, before any
/// work starts.</summary>
internal static class OptionRules
{
    /// <summary>Adds the error <paramref name="message"/> when a given value fails <paramref name="valid"/>.</summary>
    public static Option<T> Require<T>(Option<T> option, Func<T, bool> valid, Func<T, string> message)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, option, out T? value) && !valid(value!))
                result.AddError(message(value!));
        });
        return option;
    }

    /// <summary>Refuses, at parse time, a file to write whose folder does not exist or that names a folder: a run
    /// must not fail after its work because an output path was mistyped.</summary>
    public static Option<FileInfo?> Output(Option<FileInfo?> option)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue<FileInfo?>(result, option, out FileInfo? file) && file is not null && OutputProblem(option.Name, file.FullName) is string problem)
                result.AddError(problem);
        });
        return option;
    }

    /// <inheritdoc cref="Output(Option{FileInfo?})"/>
    public static Option<FileInfo> RequiredOutput(Option<FileInfo> option)
    {
        option.Validators.Add(result =>
        {
            if (TryGetValue(result, option, out FileInfo? file) && file is not null && OutputProblem(option.Name, file.FullName) is string problem)
                result.AddError(problem);
        });
        return option;
    }

    /// <summary>Refuses a folder to write into whose parent folder does not exist, or that is a file.</summary>
    public static Option<DirectoryInfo?> OutputFolder(Option<DirectoryInfo?> option)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue<DirectoryInfo?>(result, option, out DirectoryInfo? folder) || folder is null) return;
            if (File.Exists(folder.FullName))
                result.AddError($"{option.Name} {folder.FullName} is a file; give a folder.");
            else if (!folder.Exists && Path.GetDirectoryName(folder.FullName) is string parent && !Directory.Exists(parent))
                result.AddError($"{option.Name} {folder.FullName}: the folder {parent} does not exist; create it first.");
        });
        return option;
    }

    private static string? OutputProblem(string option, string path)
    {
        if (Directory.Exists(path)) return $"{option} {path} is a folder; give a file name.";
        string? parent = Path.GetDirectoryName(path);
        return parent is not null && !Directory.Exists(parent) ? $"{option} {path}: the folder {parent} does not exist; create it first." : null;
    }

    /// <summary>The value of <paramref name="option"/>, read in a validator; false when the value was refused (not a
    /// number, an unknown word): that error is reported already, and reading the value throws.</summary>
    public static bool TryGetValue<T>(SymbolResult result, Option<T> option, out T? value)
    {
        try
        {
            value = result.GetValue(option);
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }
}
