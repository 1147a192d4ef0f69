using System.CommandLine;
using AsymML.Data;

namespace AsymML.Cli.Commands;

/// <summary>Options shared by the commands that read a data set, and the one place that resolves them.</summary>
internal static class DataOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = $"Data set: 'fashion-mnist' (IDX files in {FashionMnist.DefaultDirectory}, Debian package {FashionMnist.DebianPackage}) or a folder holding Fashion-MNIST/MNIST IDX files.",
        DefaultValueFactory = _ => "fashion-mnist",
    };

    public static Option<string> Split() => new("--split")
    {
        Description = "Which part of the data set: 'train' or 'test'.",
        DefaultValueFactory = _ => FashionMnist.TestSplit,
    };

    public static Option<int> Samples(int defaultValue) => Positive("--samples", "Number of images to read (the first n).", defaultValue);

    public static Option<int> Positive(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError($"{name} must be at least 1; got {result.GetValueOrDefault<int>()}.");
        });
        return option;
    }

    /// <summary>Loads the first <paramref name="samples"/> images of <paramref name="data"/>.</summary>
    public static LabeledImages Load(string data, string split, int samples)
    {
        string? directory = data.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase) ? null : data;
        if (directory is not null && !Directory.Exists(directory))
            throw new UserErrorException($"--data '{data}' is neither 'fashion-mnist' nor an existing folder of IDX files.");
        return FashionMnist.Load(split, directory, samples);
    }
}
