using System.Text.Json;
using AsymML.Cli;
using AsymML.Tests.Cli;

namespace AsymML.Tests.Privacy.Audit;

/// <summary><c>asymml analyze audit</c> end to end: the JSON has the documented fields (attack fields null: no
/// attack plugged in) and the PNG is written.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AnalyzeAuditCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WritesTheDocumentedJsonAndAPng()
    {
        string json = _dir.File("audit.json"), png = _dir.File("audit.png");
        var (code, text) = ConsoleCapture.Run(() => CliApp.Run(["analyze", "audit", "--model", "small-cnn", "--data", "fashion-mnist", "--steps", "1",
            "--batch", "2", "--samples", "2", "--max-elements", "600", "--rank-policy", "fixed:2", "--nsr", "0.05", "--json", json, "--plot", png]));

        Assert.True(code == 0, text);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement[] rows = doc.RootElement.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(9, rows.Length); // 3 split convolutions × ConvForward, ConvBackward, WeightGradients
        foreach (JsonElement row in rows)
        {
            Assert.Equal(["layer", "kind", "relativeLeakage", "ciLow", "ciHigh", "correlation", "attackSsim", "baselineSsim"], row.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.Null, row.GetProperty("attackSsim").ValueKind);
            Assert.Equal(JsonValueKind.Null, row.GetProperty("baselineSsim").ValueKind);
            Assert.True(double.IsFinite(row.GetProperty("relativeLeakage").GetDouble()));
        }
        byte[] image = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image[..4]);
    }

    [Fact]
    public void RefusesANetworkWithNothingSplit()
    {
        var (code, text) = ConsoleCapture.Run(() => CliApp.Run(["analyze", "leakage", "--samples", "2", "--rank-policy", "fixed:1000"]));
        Assert.NotEqual(0, code);
        Assert.Contains("split", text);
    }
}
