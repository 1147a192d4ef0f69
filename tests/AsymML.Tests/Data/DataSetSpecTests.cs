using AsymML.Data;

namespace AsymML.Tests.Data;

public sealed class DataSetSpecTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("fashion-mnist", DataSetKind.FashionMnist, FashionMnist.DefaultDirectory, null, null, ImageColorMode.Auto)]
    [InlineData("  Fashion-MNIST  ", DataSetKind.FashionMnist, FashionMnist.DefaultDirectory, null, null, ImageColorMode.Auto)]
    [InlineData("fashion-mnist:/data/fm", DataSetKind.FashionMnist, "/data/fm", null, null, ImageColorMode.Auto)]
    [InlineData("CIFAR10:/data/cifar", DataSetKind.Cifar10, "/data/cifar", null, null, ImageColorMode.Auto)]
    [InlineData("folder:/data/pets", DataSetKind.ImageFolder, "/data/pets", null, null, ImageColorMode.Auto)]
    [InlineData("folder:/data/pets@64x32", DataSetKind.ImageFolder, "/data/pets", 64, 32, ImageColorMode.Auto)]
    [InlineData("folder:/data/pets@64X64,Gray", DataSetKind.ImageFolder, "/data/pets", 64, 64, ImageColorMode.Gray)]
    [InlineData("folder:/data/pets@rgb", DataSetKind.ImageFolder, "/data/pets", null, null, ImageColorMode.Rgb)]
    [InlineData("folder:/data/me@home/pets", DataSetKind.ImageFolder, "/data/me@home/pets", null, null, ImageColorMode.Auto)]
    [InlineData("folder:/data/a:b", DataSetKind.ImageFolder, "/data/a:b", null, null, ImageColorMode.Auto)]
    public void Parse_AcceptedForms(string text, DataSetKind kind, string directory, int? width, int? height, ImageColorMode color)
    {
        DataSetSpec spec = DataSetSpec.Parse(text);

        Assert.Equal(new DataSetSpec(kind, directory, width, height, color), spec);
        Assert.Equal(spec, DataSetSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void ToString_IsCanonical()
    {
        Assert.Equal("folder:/p@64x32,gray", new DataSetSpec(DataSetKind.ImageFolder, "/p", 64, 32, ImageColorMode.Gray).ToString());
        Assert.Equal("cifar10:/c", new DataSetSpec(DataSetKind.Cifar10, "/c").ToString());
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("cifar10", "needs a directory")]
    [InlineData("folder:", "the directory is missing")]
    [InlineData("mnist:/x", "no known prefix")]
    [InlineData("/no/such/dir", "not an existing directory")]
    [InlineData("cifar10:/c@32x32", "applies only to image folders")]
    [InlineData("fashion-mnist:/f@gray", "applies only to image folders")]
    [InlineData("folder:/p@0x5", "not two positive whole numbers")]
    [InlineData("folder:/p@99999999999x5", "not two positive whole numbers")]
    [InlineData("folder:/p@8x8,4x4", "size is given twice")]
    [InlineData("folder:/p@gray,rgb", "colour is given twice")]
    public void Parse_BadSpec_ListsTheAcceptedForms(string text, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => DataSetSpec.Parse(text));

        Assert.Contains(problem, ex.Message);
        Assert.Contains("fashion-mnist:<dir>", ex.Message);
        Assert.Contains("cifar10:<dir>", ex.Message);
        Assert.Contains("folder:<dir>[@WxH]", ex.Message);
        Assert.Equal("spec", ex.ParamName);
    }

    [Theory]
    [InlineData("/data/owner/train.asymdata")]
    [InlineData("folder:/data/x.ASYMDATA")]
    public void Parse_SealedFile_SaysItNeedsAKeyAndTheSealedLoader(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => DataSetSpec.Parse(text));

        Assert.Contains("sealed", ex.Message);
        Assert.Contains("key", ex.Message);
        Assert.Contains("sealed-data loader", ex.Message);
    }

    [Fact]
    public void BareDirectory_IsDetected_IdxThenCifarThenFolders()
    {
        string fm = Directory.CreateDirectory(_dir.File("fm")).FullName;
        IdxTestFiles.Write(Path.Combine(fm, "t10k-images-idx3-ubyte.gz"), IdxTestFiles.Idx(new byte[4], 1, 2, 2), gzip: true);
        Directory.CreateDirectory(Path.Combine(fm, "extra-folder"));
        string cifar = Directory.CreateDirectory(_dir.File("c")).FullName;
        Directory.CreateDirectory(Path.Combine(cifar, "cifar-10-batches-bin"));
        File.WriteAllBytes(Path.Combine(cifar, "cifar-10-batches-bin", "data_batch_1.bin"), new byte[3073]);
        string folder = Directory.CreateDirectory(_dir.File("f")).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "train", "x"));
        string empty = Directory.CreateDirectory(_dir.File("e")).FullName;
        Directory.CreateDirectory(Path.Combine(empty, ".git"));

        Assert.Equal(new DataSetSpec(DataSetKind.FashionMnist, fm), DataSetSpec.Parse(fm));
        Assert.Equal(new DataSetSpec(DataSetKind.Cifar10, cifar), DataSetSpec.Parse(cifar));
        Assert.Equal(new DataSetSpec(DataSetKind.ImageFolder, folder, 16, 8), DataSetSpec.Parse(folder + "@16x8"));
        var ex = Assert.Throws<ArgumentException>(() => DataSetSpec.Parse(empty));
        Assert.Contains("Cannot detect", ex.Message);
        Assert.Contains(empty, ex.Message);
        Assert.Contains("cifar10:<dir>", ex.Message);
        Assert.Throws<ArgumentException>(() => DataSetSpec.Parse(Path.Combine(fm, "t10k-images-idx3-ubyte.gz")));
    }
}
