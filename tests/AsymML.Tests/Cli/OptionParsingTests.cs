using System.Text.Json;
using AsymML.Cli;

namespace AsymML.Tests.Cli;

/// <summary>Modes and methods are words the parser itself knows: an unknown one is refused, in the option's own words
/// with the allowed values, before any work — nothing is written — while the same command lines with known words (in
/// any case) run and write their files.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OptionParsingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public OptionParsingTests()
    {
        BandImages.Write(_dir, "train", 60, seed: 1);
        BandImages.Write(_dir, "t10k", 30, seed: 2);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A command line that runs and writes every output file it can into <paramref name="output"/>, with
    /// <paramref name="changes"/> ("--option value" or a flag) replacing or adding options (an option given twice is an
    /// error of its own).</summary>
    private string[] Line(string command, string output, string model, params string[] changes)
    {
        string data = "fashion-mnist:" + _dir.Path;
        List<(string Name, string? Value)> options = command switch
        {
            "train" => [("--data", data), ("--epochs", "1"), ("--batch", "12"), ("--rank-policy", "fixed:1"), ("--checkpoint", Path.Combine(output, "checkpoint")),
                ("--json", Path.Combine(output, "train.json")), ("--plot", Path.Combine(output, "curves.png"))],
            "infer" => [("--model", model), ("--data", data), ("--rank-policy", "fixed:1"), ("--predictions", Path.Combine(output, "predictions.csv")),
                ("--json", Path.Combine(output, "infer.json"))],
            "bench" => [("--model", "small-cnn"), ("--image-size", "8"), ("--channels", "1"), ("--batch", "4"), ("--steps", "1"),
                ("--json", Path.Combine(output, "bench.json"))],
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };
        for (int i = 0; i < changes.Length; i++)
        {
            string name = changes[i];
            string? value = i + 1 < changes.Length && !changes[i + 1].StartsWith("--", StringComparison.Ordinal) ? changes[++i] : null;
            options.RemoveAll(o => o.Name == name);
            options.Add((name, value));
        }
        return [command, .. options.SelectMany(o => o.Value is null ? [o.Name] : new[] { o.Name, o.Value })];
    }

    public static TheoryData<string, string[], string> Refusals() => new()
    {
        { "train", ["--mode", "enclave-only"], "--mode 'enclave-only' is not a mode; choose asym, tee-only or untrusted-only." },
        { "train", ["--split-method", "svd"], "--split-method 'svd' is not a split method; choose lightweight, blocked or exact." },
        { "train", ["--optimizer", "rmsprop"], "--optimizer 'rmsprop' is not an optimizer; choose adam or sgd." },
        { "train", ["--schedule", "step"], "--schedule 'step' is not a learning-rate schedule; choose cosine or constant." },
        { "train", ["--rank-policy", "fixed:0"], "--rank-policy: Rank policy 'fixed:0': '0' is not an integer rank ≥ 1; expected 'paper', 'fixed:r' with an integer r ≥ 1, or 'energy:τ' with 0 < τ ≤ 1, optionally followed by '+inside:k'." },
        { "train", ["--mode", "untrusted-only", "--enclave-process"], "--enclave-process has no meaning with --mode untrusted-only (there is no enclave)." },
        { "infer", ["--mode", "gpu"], "--mode 'gpu' is not a mode; choose asym, tee-only or untrusted-only." },
        { "infer", ["--split-method", "power"], "--split-method 'power' is not a split method; choose lightweight, blocked or exact." },
        { "infer", ["--rank-policy", "lowest"], "--rank-policy: Rank policy 'lowest' is unknown; expected 'paper'" },
        { "bench", ["--split-method", "randomized"], "--split-method 'randomized' is not a split method; choose lightweight, blocked or exact." },
        { "bench", ["--rank-policy", "energy:2"], "--rank-policy: Rank policy 'energy:2': '2' is not an energy share in (0, 1]" },
        { "train", ["--verify", "sometimes"], "--verify 'sometimes': expected all, off or sample:p with 0 < p ≤ 1 (the share of results checked)." },
        { "infer", ["--verify", "sample:0"], "--verify 'sample:0': expected all, off or sample:p with 0 < p ≤ 1" },
        { "train", ["--mask", "darknight:0"], "--mask 'darknight:0': the group size '0' is not an integer ≥ 1" },
        { "infer", ["--mask", "darknight:4:-1"], "--mask 'darknight:4:-1': the noise ratio '-1' is not a finite number ≥ 0" },
        { "bench", ["--mask", "instahide"], "--mask 'instahide': expected off, darknight, darknight:g or darknight:g:σ" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void AnUnknownModeOrMethodIsRefusedBeforeAnythingIsWritten(string command, string[] bad, string message)
    {
        string output = Directory.CreateDirectory(_dir.File("out-" + command)).FullName;
        // The model would be the one trained by the run that was refused; the parser must not get as far as asking.
        (int code, _, string error) = ConsoleCapture.RunSeparately(() => CliApp.Run(Line(command, output, _dir.File("no-model"), bad)));

        Assert.Equal(1, code); // a bad command line
        Assert.Contains(message, error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output)); // no checkpoint folder, JSON, plot or predictions
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void KnownWordsInAnyCaseRunAndWriteTheirFiles()
    {
        string output = Directory.CreateDirectory(_dir.File("out")).FullName, checkpoint = Path.Combine(output, "checkpoint");

        Assert.Equal(0, CliApp.Run(Line("train", output, "", "--mode", "TEE-only", "--optimizer", "SGD", "--schedule", "Constant", "--split-method", "exact")));
        Assert.Equal("TeeOnly", Json(Path.Combine(output, "train.json")).GetProperty("mode").GetString());
        Assert.True(File.Exists(Path.Combine(checkpoint, "checkpoint.asymckpt")));
        Assert.True(File.Exists(Path.Combine(output, "curves.png")));

        Assert.Equal(0, CliApp.Run(Line("infer", output, checkpoint, "--mode", "Untrusted-Only", "--split-method", "Lightweight")));
        JsonElement infer = Json(Path.Combine(output, "infer.json"));
        Assert.Equal("UntrustedOnly", infer.GetProperty("mode").GetString());
        Assert.Equal(30, infer.GetProperty("samples").GetInt32());
        Assert.Equal(31, File.ReadAllLines(Path.Combine(output, "predictions.csv")).Length); // header and 30 rows

        Assert.Equal(0, CliApp.Run(Line("bench", output, "", "--split-method", "EXACT", "--rank-policy", "fixed:1")));
        JsonElement bench = Json(Path.Combine(output, "bench.json"));
        Assert.Equal("Exact", bench.GetProperty("splitMethod").GetString());
        Assert.Equal(["Asym", "TeeOnly", "UntrustedOnly"], bench.GetProperty("executors").EnumerateArray().Select(e => e.GetProperty("mode").GetString()));
    }

    [Fact]
    public void EveryRefusedValueOfACommandLineIsReportedTogether()
    {
        string output = Directory.CreateDirectory(_dir.File("out")).FullName;
        (int code, _, string error) = ConsoleCapture.RunSeparately(() => CliApp.Run(Line("train", output, "",
            "--mode", "x", "--split-method", "y", "--optimizer", "z", "--schedule", "w", "--rank-policy", "v", "--lr", "0", "--batch", "1")));

        Assert.Equal(1, code);
        foreach (string part in new[] { "--mode 'x'", "--split-method 'y'", "--optimizer 'z'", "--schedule 'w'", "--rank-policy: Rank policy 'v'",
                     "--lr must be positive", "--batch must be at least 2", })
            Assert.Contains(part, error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [Theory]
    [InlineData("train", "--batch")]
    [InlineData("train", "--lr")]
    [InlineData("infer", "--max-samples")]
    [InlineData("bench", "--steps")]
    public void ANumberThatIsNotOneIsRefusedWithoutACrash(string command, string option)
    {
        string output = Directory.CreateDirectory(_dir.File("out")).FullName;
        (int code, _, string error) = ConsoleCapture.RunSeparately(() => CliApp.Run(Line(command, output, _dir.File("no-model"), option, "many")));

        Assert.Equal(1, code);
        Assert.Contains($"Cannot parse argument 'many' for option '{option}'", error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    private static JsonElement Json(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
