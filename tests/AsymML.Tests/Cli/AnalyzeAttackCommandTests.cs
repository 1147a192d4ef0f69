using System.Text.Json;
using AsymML.Cli;

namespace AsymML.Tests.Cli;

/// <summary><c>asymml analyze attack</c> end to end on Fashion-MNIST (a seeded model: no training), through the parser.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AnalyzeAttackCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LabelLeakageWritesItsFiguresAsJson()
    {
        string json = _dir.File("labels.json");
        (int code, string output) = ConsoleCapture.Run(() => CliApp.Run(["analyze", "attack", "label-leakage", "--batch", "8", "--steps", "1",
            "--signal", "output-gradient", "--train-epochs", "0", "--public-samples", "20", "--train-samples", "40", "--json", json]));
        Assert.True(code == 0, output); // the figures are checked in the JSON (Spectre binds its console once per process)
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        Assert.Equal("label-leakage", root.GetProperty("attack").GetString());
        Assert.Equal(0, root.GetProperty("trainEpochs").GetInt32());
        JsonElement result = root.GetProperty("results").EnumerateArray().Single();
        Assert.Equal("per-sample", result.GetProperty("scoring").GetString());
        Assert.Equal(0.1, result.GetProperty("chanceAccuracy").GetDouble(), 12);
        Assert.InRange(result.GetProperty("accuracy").GetDouble(), 0.0, 1.0);
        Assert.Equal(result.GetProperty("accuracy").GetDouble(), result.GetProperty("figure").GetDouble());
    }

    [Theory]
    [InlineData("gradient-inversion", "--batch", "1", "add --without-batchnorm for batch 1")]
    [InlineData("label-leakage", "--batch", "0", "'0' is not a batch size")]
    [InlineData("feature-inversion", "--nsr", "0,abc", "'abc' is not a finite number ≥ 0")]
    public void BadSettingsAreRefusedBeforeAnyAttack(string attack, string option, string value, string message)
    {
        (int code, string output) = ConsoleCapture.Run(() => CliApp.Run(["analyze", "attack", attack, option, value, "--train-epochs", "0"]));
        Assert.Equal(1, code);
        Assert.Contains(message, output);
    }
}
