using AsymML.Data;
using SkiaSharp;

namespace AsymML.Tests.Data;

public sealed class DataSetsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FashionMnistSpec_LoadsTheIdxFiles_WithClassNames()
    {
        byte[] pixels = IdxTestFiles.Bytes(3 * 4, seed: 3);
        IdxTestFiles.Write(_dir.File("train-images-idx3-ubyte"), IdxTestFiles.Idx(pixels, 3, 2, 2), gzip: false);
        IdxTestFiles.Write(_dir.File("train-labels-idx1-ubyte"), IdxTestFiles.Idx([4, 0, 9], 3), gzip: false);

        LabeledImages prefixed = DataSets.Load("fashion-mnist:" + _dir.Path, "train", maxSamples: 2);
        LabeledImages bare = DataSets.Load(_dir.Path, "train");

        Assert.Equal(new byte[] { 4, 0 }, prefixed.Labels);
        Assert.Equal(pixels[..8], prefixed.Pixels);
        Assert.Equal(3, bare.Count);
        Assert.Equal(FashionMnist.ClassNames, bare.ClassNames);
    }

    [Fact]
    public void Cifar10Spec_LoadsTheBatches()
    {
        Directory.CreateDirectory(_dir.File("cifar-10-batches-bin"));
        byte[] bytes = CifarTestFiles.WriteBatch(Path.Combine(_dir.File("cifar-10-batches-bin"), "test_batch.bin"), [6, 2], seed0: 1);

        LabeledImages viaPrefix = DataSets.Load("cifar10:" + _dir.Path, "test");
        LabeledImages detected = DataSets.Load(_dir.Path, "test", maxSamples: 1);

        Assert.Equal(new byte[] { 6, 2 }, viaPrefix.Labels);
        Assert.Equal(bytes[1..3073], viaPrefix.GetImage(0).ToArray());
        Assert.Equal(1, detected.Count);
        Assert.Equal(3, detected.Channels);
    }

    [Fact]
    public void FolderSpec_AppliesSizeAndColour()
    {
        ImageTestFiles.Solid(Path.Combine(_dir.Path, "red", "a.png"), 10, 10, new SKColor(255, 0, 0));
        ImageTestFiles.Solid(Path.Combine(_dir.Path, "blue", "a.jpg"), 4, 4, new SKColor(0, 0, 255), SKEncodedImageFormat.Jpeg);

        LabeledImages rgb = DataSets.Load($"folder:{_dir.Path}@6x5", "train");
        LabeledImages gray = DataSets.Load($"{_dir.Path}@gray", "train");

        Assert.Equal((2, 3, 5, 6), (rgb.Count, rgb.Channels, rgb.Rows, rgb.Cols));
        Assert.Equal(["blue", "red"], rgb.ClassNames);
        // Default size: the first image, blue/a.jpg (classes sort "blue" < "red").
        Assert.Equal((2, 1, 4, 4), (gray.Count, gray.Channels, gray.Rows, gray.Cols));
        // Luma of pure red: 0.299 * 255 = 76.2 -> 76 (image 1 is "red": labels interleave blue, red).
        Assert.All(gray.GetImage(1).ToArray(), v => Assert.Equal(76, v));
    }

    [Fact]
    public void SealedSpec_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => DataSets.Load(_dir.File("x.asymdata"), "train"));
        Assert.Contains("key", ex.Message);
    }
}
