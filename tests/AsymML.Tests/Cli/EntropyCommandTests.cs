using System.Text.Json;
using AsymML.Cli;
using AsymML.Tests.Data;

namespace AsymML.Tests.Cli;

/// <summary>End to end through the command line parser, on a small generated IDX data set.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class EntropyCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public EntropyCommandTests()
    {
        // 40 images of 12×12: a smooth ramp plus pseudo-random detail, labels 0..9.
        const int count = 40, side = 12;
        byte[] pixels = new byte[count * side * side];
        var random = new Random(3);
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Min(255, (i % side) * 12 + random.Next(60));
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        IdxTestFiles.Write(_dir.File("t10k-images-idx3-ubyte.gz"), IdxTestFiles.Idx(pixels, count, side, side), gzip: true);
        IdxTestFiles.Write(_dir.File("t10k-labels-idx1-ubyte.gz"), IdxTestFiles.Idx(labels, count), gzip: true);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WritesJsonWithTheDocumentedShapeAndAPng()
    {
        string json = _dir.File("out.json"), png = _dir.File("out.png");
        int code = CliApp.Run(["entropy", "--data", _dir.Path, "--samples", "30", "--kernels", "1,3,5", "--rank", "2", "--json", json, "--plot", png]);

        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement root = doc.RootElement;
        Assert.Equal(30, root.GetProperty("samples").GetInt32());
        JsonElement[] kernels = root.GetProperty("kernels").EnumerateArray().ToArray();
        Assert.Equal([1, 3, 5], kernels.Select(k => k.GetProperty("k").GetInt32()));
        foreach (JsonElement k in kernels)
        {
            foreach (string name in new[] { "muMean", "muMedian", "muStd", "muP05", "muP95" })
                Assert.True(k.GetProperty(name).GetDouble() >= 0);
            Assert.True(k.GetProperty("nPrime").GetInt32() >= 1);
            foreach (string group in new[] { "energy", "ms" })
                foreach (string method in new[] { "light", "blocked", "exact" })
                    Assert.True(k.GetProperty(group).GetProperty(method).GetDouble() > 0, $"{group}.{method}");
            Assert.False(k.TryGetProperty("mu", out _)); // per-sample values stay out of the JSON
        }
        Assert.True(kernels[2].GetProperty("muMean").GetDouble() > kernels[1].GetProperty("muMean").GetDouble());
        byte[] image = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, image[..4]);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp")); // no temporary files left
    }

    [Theory]
    [InlineData("--kernels", "1,x", "'x' is not a kernel size from 1 to 31")]
    [InlineData("--kernels", "0", "'0' is not a kernel size")]
    [InlineData("--rank", "0", "--rank must be at least 1")]
    [InlineData("--samples", "-3", "--samples must be at least 1")]
    public void BadOptionsAreRefusedBeforeAnyWork(string option, string value, string message)
    {
        string json = _dir.File("bad.json");
        (int code, string output) = ConsoleCapture.Run(() => CliApp.Run(["entropy", "--data", _dir.Path, option, value, "--json", json]));
        Assert.NotEqual(0, code);
        Assert.Contains(message, output);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void MissingDataFolderSaysWhatIsWrong()
    {
        (int code, string output) = ConsoleCapture.Run(() => CliApp.Run(["entropy", "--data", _dir.File("nowhere")]));
        Assert.Equal(2, code);
        Assert.Contains("is not an existing directory. Accepted specs:", output);
    }

    [Fact]
    public void MalformedIdxFileNamesTheFile()
    {
        File.WriteAllBytes(_dir.File("t10k-labels-idx1-ubyte.gz"), IdxTestFiles.Gzip(IdxTestFiles.Idx(new byte[5], 40)));
        (int code, string output) = ConsoleCapture.Run(() => CliApp.Run(["entropy", "--data", _dir.Path, "--samples", "10"]));
        Assert.Equal(2, code);
        Assert.Contains("t10k-labels-idx1-ubyte.gz", output);
    }
}
