using System.CommandLine;

namespace AsymML.Cli.Commands;

/// <summary>Options whose value is one of a few words, each naming an enum value: the parser refuses any other word
/// before any work starts, naming the option and listing the words (System.CommandLine's own enum parsing knows only
/// the C# names, not our kebab-case words).</summary>
internal static class Choice
{
    /// <summary>An option <paramref name="name"/> that takes one of <paramref name="choices"/> (case-insensitive).</summary>
    /// <param name="name">The option, e.g. <c>--mode</c>.</param>
    /// <param name="what">What a value is, with its article, for the error: "a mode".</param>
    /// <param name="description">Help text.</param>
    /// <param name="defaultValue">The value when the option is not given.</param>
    /// <param name="choices">Each word and its value.</param>
    public static Option<T> Of<T>(string name, string what, string description, T defaultValue, params (string Word, T Value)[] choices)
        where T : struct, Enum
    {
        string[] words = choices.Select(c => c.Word).ToArray();
        var option = new Option<T>(name)
        {
            Description = description,
            HelpName = string.Join('|', words),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string word = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
                foreach ((string w, T value) in choices)
                    if (w.Equals(word, StringComparison.OrdinalIgnoreCase))
                        return value;
                result.AddError($"{name} '{word}' is not {what}; choose {Words(words)}.");
                return defaultValue;
            },
        };
        option.CompletionSources.Clear(); // the enum's C# names would be offered otherwise
        option.CompletionSources.Add(words);
        return option;
    }

    /// <summary>"a, b or c".</summary>
    public static string Words(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : $"{string.Join(", ", words.Take(words.Count - 1))} or {words[^1]}";
}
