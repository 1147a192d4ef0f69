using AsymML.Data;

namespace AsymML.Tests.Data;

public sealed class FashionMnistTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes a fake split (prefix "train" or "t10k") and returns its pixels and labels.</summary>
    private (byte[] Pixels, byte[] Labels) WriteSplit(string prefix, int count, int rows, int cols, bool gzip, int seed = 7)
    {
        byte[] pixels = IdxTestFiles.Bytes(count * rows * cols, seed);
        pixels[0] = 0;
        pixels[^1] = 255;
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)((i * 7 + seed) % 10)).ToArray();
        string ext = gzip ? ".gz" : "";
        IdxTestFiles.Write(_dir.File($"{prefix}-images-idx3-ubyte{ext}"), IdxTestFiles.Idx(pixels, count, rows, cols), gzip);
        IdxTestFiles.Write(_dir.File($"{prefix}-labels-idx1-ubyte{ext}"), IdxTestFiles.Idx(labels, count), gzip);
        return (pixels, labels);
    }

    [Theory]
    [InlineData("train", "train", true)]
    [InlineData("test", "t10k", true)]
    [InlineData("TEST", "t10k", false)]
    [InlineData("train", "train", false)]
    public void Load_RoundTripsPixelsLabelsAndShape(string split, string prefix, bool gzip)
    {
        var (pixels, labels) = WriteSplit(prefix, count: 12, rows: 5, cols: 3, gzip);

        LabeledImages d = FashionMnist.Load(split, _dir.Path);

        Assert.Equal(12, d.Count);
        Assert.Equal(5, d.Rows);
        Assert.Equal(3, d.Cols);
        Assert.Equal(15, d.PixelsPerImage);
        Assert.Equal(pixels, d.Pixels);
        Assert.Equal(labels, d.Labels);
        Assert.Equal(pixels.AsSpan(15 * 4, 15).ToArray(), d.GetImage(4).ToArray());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 4)]
    [InlineData(12, 12)]
    [InlineData(1000, 12)]
    public void Load_MaxSamplesLimitsImagesAndLabels(int maxSamples, int expected)
    {
        var (pixels, labels) = WriteSplit("train", count: 12, rows: 4, cols: 4, gzip: true);

        LabeledImages d = FashionMnist.Load("train", _dir.Path, maxSamples);

        Assert.Equal(expected, d.Count);
        Assert.Equal(pixels.AsSpan(0, expected * 16).ToArray(), d.Pixels);
        Assert.Equal(labels.AsSpan(0, expected).ToArray(), d.Labels);
    }

    [Fact]
    public void ToTensor_IsFloat32_NChw_PixelsOver255()
    {
        WriteSplit("t10k", count: 6, rows: 7, cols: 5, gzip: true);
        LabeledImages d = FashionMnist.Load("test", _dir.Path);

        using Tensor t = d.ToTensor();

        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new long[] { 6, 1, 7, 5 }, t.shape);
        float[] values = t.data<float>().ToArray();
        Assert.Equal(d.Pixels.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(d.Pixels[i] / 255f, values[i]);
        Assert.Equal(0f, values[0]);
        Assert.Equal(1f, values[^1]);
    }

    [Fact]
    public void ToTensor_AllByteValuesMapExactly_AcrossConversionChunks()
    {
        // 40 images of 16x16 = 10240 pixels, more than the internal conversion chunk.
        byte[] pixels = Enumerable.Range(0, 40 * 256).Select(i => (byte)(i * 31 + i / 256)).ToArray();
        var d = new LabeledImages(pixels, new byte[40], 40, 16, 16);

        using Tensor t = d.ToTensor();

        float[] values = t.data<float>().ToArray();
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(pixels[i] / 255f, values[i]);
    }

    [Fact]
    public void ToTensor_Batch_And_LabelsToTensor()
    {
        var (pixels, labels) = WriteSplit("train", count: 10, rows: 3, cols: 3, gzip: false);
        LabeledImages d = FashionMnist.Load("train", _dir.Path);

        using Tensor batch = d.ToTensor(start: 3, length: 4);
        using Tensor y = d.LabelsToTensor(3, 4);
        using Tensor all = d.LabelsToTensor();

        Assert.Equal(new long[] { 4, 1, 3, 3 }, batch.shape);
        Assert.Equal(pixels.Skip(27).Take(36).Select(b => b / 255f).ToArray(), batch.data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, y.dtype);
        Assert.Equal(labels.Skip(3).Take(4).Select(b => (long)b).ToArray(), y.data<long>().ToArray());
        Assert.Equal(new long[] { 10 }, all.shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.ToTensor(8, 3));
    }

    [Fact]
    public void ClassNames_AreTheTenFashionMnistClasses()
    {
        Assert.Equal(10, FashionMnist.ClassCount);
        Assert.Equal(
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            FashionMnist.ClassNames);
    }

    [Fact]
    public void MismatchedCounts_NameBothFilesAndBothCounts()
    {
        WriteSplit("train", count: 8, rows: 2, cols: 2, gzip: true);
        string labelsPath = _dir.File("train-labels-idx1-ubyte.gz");
        IdxTestFiles.Write(labelsPath, IdxTestFiles.Idx([1, 2, 3, 4, 5, 6, 7], 7), gzip: true);

        var ex = Assert.Throws<IdxFormatException>(() => FashionMnist.Load("train", _dir.Path, maxSamples: 2));

        Assert.Contains(_dir.File("train-images-idx3-ubyte.gz"), ex.Message);
        Assert.Contains(labelsPath, ex.Message);
        Assert.Contains("do not match", ex.Message);
        Assert.Contains("declares 8 images", ex.Message);
        Assert.Contains("declares 7 labels", ex.Message);
    }

    [Fact]
    public void LabelOutOfRange_NamesLabelsFileValueAndRange()
    {
        WriteSplit("t10k", count: 5, rows: 2, cols: 2, gzip: false);
        string labelsPath = _dir.File("t10k-labels-idx1-ubyte");
        IdxTestFiles.Write(labelsPath, IdxTestFiles.Idx([0, 9, 3, 10, 2], 5), gzip: false);

        var ex = Assert.Throws<IdxFormatException>(() => FashionMnist.Load("test", _dir.Path));

        Assert.Equal(labelsPath, ex.FilePath);
        Assert.Contains(labelsPath, ex.Message);
        Assert.Contains("label 10 at position 3 is out of range", ex.Message);
        Assert.Contains("0..9", ex.Message);

        // Only the labels that are read are checked.
        Assert.Equal(3, FashionMnist.Load("test", _dir.Path, maxSamples: 3).Count);
    }

    [Fact]
    public void ImagesFileWithWrongMagic_IsReportedThroughLoad()
    {
        WriteSplit("train", count: 3, rows: 2, cols: 2, gzip: true);
        string imagesPath = _dir.File("train-images-idx3-ubyte.gz");
        IdxTestFiles.Write(imagesPath, IdxTestFiles.Idx([1, 2, 3], 3), gzip: true); // a labels file in its place

        var ex = Assert.Throws<IdxFormatException>(() => FashionMnist.Load("train", _dir.Path));

        Assert.Contains(imagesPath, ex.Message);
        Assert.Contains("wrong number of dimensions", ex.Message);
    }

    [Fact]
    public void MissingFile_NamesItAndTheDebianPackage()
    {
        WriteSplit("train", count: 3, rows: 2, cols: 2, gzip: true);
        File.Delete(_dir.File("train-labels-idx1-ubyte.gz"));

        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load("train", _dir.Path));

        Assert.Contains("train-labels-idx1-ubyte.gz", ex.Message);
        Assert.Contains(_dir.Path, ex.Message);
        Assert.Contains("dataset-fashion-mnist", ex.Message);
        Assert.Equal(_dir.File("train-labels-idx1-ubyte.gz"), ex.FileName);
    }

    [Fact]
    public void MissingDirectory_IsAClearError()
    {
        string missing = _dir.File("no-such-dir");

        var ex = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Load("test", missing));

        Assert.Contains(missing, ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void UnknownSplit_IsAnArgumentError()
    {
        var ex = Assert.Throws<ArgumentException>(() => FashionMnist.Load("validation", _dir.Path));

        Assert.Contains("validation", ex.Message);
    }

    [Fact]
    public void RealTestSplit_Has10000ImagesOf28x28And1000PerClass()
    {
        Assert.True(Directory.Exists(FashionMnist.DefaultDirectory),
            $"{FashionMnist.DefaultDirectory} is missing; install the Debian package {FashionMnist.DebianPackage}.");

        LabeledImages d = FashionMnist.Load("test");

        Assert.Equal(10000, d.Count);
        Assert.Equal(28, d.Rows);
        Assert.Equal(28, d.Cols);
        Assert.Equal(10000 * 28 * 28, d.Pixels.Length);
        Assert.Equal(10000, d.Labels.Length);
        int[] perClass = new int[10];
        foreach (byte label in d.Labels)
            perClass[label]++;
        Assert.All(perClass, c => Assert.Equal(1000, c));

        using Tensor t = d.ToTensor(0, 100);
        Assert.Equal(new long[] { 100, 1, 28, 28 }, t.shape);
        Assert.Equal(d.Pixels.Take(100 * 784).Sum(b => (double)b) / 255.0, t.sum().ToDouble(), 1e-2);
    }

    [Fact]
    public void RealTrainSplit_MaxSamplesReadsOnlyAPrefix()
    {
        LabeledImages d = FashionMnist.Load("train", maxSamples: 1000);

        Assert.Equal(1000, d.Count);
        Assert.Equal(1000 * 784, d.Pixels.Length);
        Assert.All(d.Labels, l => Assert.InRange(l, (byte)0, (byte)9));
    }
}
