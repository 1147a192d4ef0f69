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

    [Fact]
    public void OutputPathsAreCheckedBeforeAnyWork_AndSealedFilesAreNotReplacedSilently()
    {
        string key = _dir.File("k.key"), sealedFile = _dir.File("t.asymdata"), missing = _dir.File("no-such-folder");
        var error = new StringWriter();
        TextWriter old = Console.Error;
        Console.SetError(error);
        try
        {
            // Every bad output path in one report, before the data is even read (the data set named here does not exist).
            Assert.Equal(1, CliApp.Run(["train", "--data", "fashion-mnist:" + _dir.File("nothing"), "--plot", Path.Combine(missing, "x.png"),
                "--json", _dir.Path, "--checkpoint", Path.Combine(missing, "ckpt")]));
            Assert.Equal(0, CliApp.Run(["keygen", "--out", key]));
            Assert.Equal(0, CliApp.Run(["seal", "--data", "fashion-mnist:" + _dir.Path, "--split", "test", "--key", key, "--out", sealedFile]));
            byte[] first = File.ReadAllBytes(sealedFile);
            Assert.Equal(1, CliApp.Run(["seal", "--data", "fashion-mnist:" + _dir.Path, "--split", "test", "--key", key, "--out", sealedFile, "--max-samples", "3"]));
            Assert.Equal(first, File.ReadAllBytes(sealedFile));
            Assert.Equal(0, CliApp.Run(["seal", "--data", "fashion-mnist:" + _dir.Path, "--split", "test", "--key", key, "--out", sealedFile, "--max-samples", "3", "--force"]));
            Assert.NotEqual(first, File.ReadAllBytes(sealedFile));
        }
        finally
        {
            Console.SetError(old);
        }
        string text = error.ToString();
        Assert.Contains($"--plot {Path.Combine(missing, "x.png")}: the folder {missing} does not exist", text);
        Assert.Contains($"--json {_dir.Path} is a folder", text);
        Assert.Contains($"--checkpoint {Path.Combine(missing, "ckpt")}: the folder {missing} does not exist", text);
        Assert.DoesNotContain("nothing", text); // the data set was never opened
        Assert.Contains($"{sealedFile} exists; give --force to replace it", text);
    }

    [Fact]
    public void OpenedResultsAreOnlyTheOwnersToRead_AndASharedKeyFileIsCalledOut()
    {
        if (OperatingSystem.IsWindows()) return;
        string key = _dir.File("owner.key"), sealedFile = _dir.File("t.asymdata"), ckpt = _dir.File("ckpt");
        string predictions = _dir.File("p.sealed"), csv = _dir.File("p.csv");
        Assert.Equal(0, CliApp.Run(["keygen", "--out", key]));
        Assert.Null(AsymML.Cli.Commands.DataOptions.KeySharingWarning(new FileInfo(key))); // keygen writes 0600
        Assert.Equal(0, CliApp.Run(["seal", "--data", "fashion-mnist:" + _dir.Path, "--split", "test", "--key", key, "--out", sealedFile]));
        string sealedTrain = _dir.File("train.asymdata");
        Assert.Equal(0, CliApp.Run(["seal", "--data", "fashion-mnist:" + _dir.Path, "--split", "train", "--key", key, "--out", sealedTrain]));
        Assert.Equal(0, CliApp.Run(["train", "--data", sealedTrain, "--key", key, "--epochs", "1", "--batch", "12", "--max-samples", "24", "--checkpoint", ckpt]));
        Assert.Equal(0, CliApp.Run(["infer", "--model", ckpt, "--data", sealedFile, "--key", key, "--predictions", predictions]));
        Assert.Equal(0, CliApp.Run(["unseal", "--in", predictions, "--key", key, "--out", csv]));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(csv));

        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        string? warning = AsymML.Cli.Commands.DataOptions.KeySharingWarning(new FileInfo(key));
        Assert.NotNull(warning);
        Assert.Contains("can be read by other users (mode 0644)", warning);
        Assert.Contains($"chmod 600 {key}", warning);
    }
}
