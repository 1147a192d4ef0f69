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
