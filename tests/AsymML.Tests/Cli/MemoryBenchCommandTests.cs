using System.Text.Json;
using AsymML.Cli;

namespace AsymML.Tests.Cli;

/// <summary><c>asymml bench memory</c> through the parser: a short run writes its samples and slopes. It asserts
/// what is exact (step numbers, the host thread's live tensors: untrusted-only runs every step on that thread), never RSS.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class MemoryBenchCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ShortRunWritesSamplesAndSlopes_WithAFlatLiveTensorCount()
    {
        string json = _dir.File("memory.json");
        (int code, string output) = ConsoleCapture.Run(() => CliApp.Run(["bench", "memory", "--steps", "12", "--every", "4", "--warm-up", "4",
            "--batch", "8", "--samples", "32", "--mode", "untrusted-only", "--json", json]));
        Assert.True(code == 0, output);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        int[] steps = root.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("step").GetInt32()).ToArray();
        Assert.Equal([0, 4, 8, 12], steps);
        long[] live = root.GetProperty("samples").EnumerateArray().Skip(1).Select(s => s.GetProperty("hostThreadLiveTensors").GetInt64()).ToArray();
        Assert.All(live, n => Assert.Equal(live[0], n));
        JsonElement slopes = root.GetProperty("slopesPerThousandSteps");
        Assert.Equal(0.0, slopes.GetProperty("liveTensors").GetDouble());
        Assert.True(double.IsFinite(slopes.GetProperty("hostRssMiBTheilSen").GetDouble()));
    }
}
