using System.Text.Json;
using AsymML.Cli;

namespace AsymML.Tests.Cli;

/// <summary>The data owner's whole journey through the command line, on a small generated Fashion-MNIST-like set:
/// keygen, seal, train (sealed), infer with sealed predictions, unseal.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TrainCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public TrainCommandTests()
    {
        BandImages.Write(_dir, "train", 60, seed: 1);
        BandImages.Write(_dir, "t10k", 30, seed: 2);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SealTrainInferAndUnsealEndToEnd()
    {
        string key = _dir.File("owner.key"), train = _dir.File("train.asymdata"), test = _dir.File("test.asymdata");
        string json = _dir.File("train.json"), png = _dir.File("curves.png"), checkpoint = _dir.File("ckpt");
        string predictions = _dir.File("predictions.sealed"), csv = _dir.File("predictions.csv"), inferJson = _dir.File("infer.json");
        Assert.Equal(0, CliApp.Run(["keygen", "--out", key]));
        Assert.Equal(2, CliApp.Run(["keygen", "--out", key])); // never overwrites a key silently
        Assert.Equal(0, CliApp.Run(["seal", "--data", "fashion-mnist:" + _dir.Path, "--split", "train", "--key", key, "--out", train, "--chunk-size", "16"]));
        Assert.Equal(0, CliApp.Run(["seal", "--data", "fashion-mnist:" + _dir.Path, "--split", "test", "--key", key, "--out", test]));

        int code = CliApp.Run(["train", "--data", train, "--test-data", test, "--key", key, "--epochs", "2", "--batch", "12", "--lr", "0.05",
            "--rank-policy", "fixed:1", "--augment", "crop:1", "--checkpoint", checkpoint, "--json", json, "--plot", png]);

        Assert.Equal(0, code);
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            JsonElement root = doc.RootElement;
            foreach (string field in new[] { "mode", "model", "epochs", "trainLoss", "testAccuracy", "trainSeconds", "enclaveSeconds", "acceleratorSeconds", "boundarySeconds", "boundaryBytes" })
                Assert.True(root.TryGetProperty(field, out _), $"--json lacks '{field}'");
            Assert.Equal("Asym", root.GetProperty("mode").GetString());
            Assert.Equal(2, root.GetProperty("epochs").GetInt32());
            Assert.Equal(2, root.GetProperty("history").GetArrayLength());
            Assert.InRange(root.GetProperty("testAccuracy").GetDouble(), 0, 1);
            Assert.True(root.GetProperty("boundaryBytes").GetInt64() > 0);
            Assert.True(root.GetProperty("enclaveSeconds").GetDouble() > 0);
            Assert.True(root.GetProperty("predictionsSealed").GetBoolean());
        }
        Assert.True(new FileInfo(png).Length > 1000);

        Assert.Equal(0, CliApp.Run(["infer", "--model", checkpoint, "--data", test, "--key", key, "--predictions", predictions, "--json", inferJson]));
        Assert.Equal(0, CliApp.Run(["unseal", "--in", predictions, "--key", key, "--out", csv]));
        string[] lines = File.ReadAllLines(csv);
        Assert.Equal("index,prediction,label", lines[0]);
        Assert.Equal(30, lines.Length - 1);
        using JsonDocument infer = JsonDocument.Parse(File.ReadAllText(inferJson));
        double accuracy = infer.RootElement.GetProperty("accuracy").GetDouble();
        Assert.Equal(lines.Skip(1).Count(l => l.Split(',')[1] == l.Split(',')[2]) / 30.0, accuracy, 9);
    }

    [Fact]
    public void BadSettingsAreReportedTogetherBeforeAnyWork()
    {
        string key = _dir.File("k.key");
        var error = new StringWriter();
        TextWriter old = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(1, CliApp.Run(["train", "--data", "fashion-mnist:" + _dir.Path, "--lr", "-1", "--augment", "spin", "--nsr", "-0.5"]));
            Assert.Equal(2, CliApp.Run(["train", "--data", _dir.File("missing.asymdata"), "--key", key]));
            Assert.Equal(0, CliApp.Run(["keygen", "--out", key]));
            Assert.Equal(0, CliApp.Run(["seal", "--data", "fashion-mnist:" + _dir.Path, "--split", "test", "--key", key, "--out", _dir.File("t.asymdata")]));
            Assert.Equal(2, CliApp.Run(["train", "--data", _dir.File("t.asymdata")]));
        }
        finally
        {
            Console.SetError(old);
        }
        string text = error.ToString();
        Assert.Contains("--lr must be positive", text);
        Assert.Contains("--augment 'spin'", text);
        Assert.Contains("--nsr", text);
        Assert.Contains("does not exist", text);
        Assert.Contains("give the data owner's key with --key", text);
    }
}
