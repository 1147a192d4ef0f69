using AsymML.Data;
using SkiaSharp;

namespace AsymML.Tests.Data;

public sealed class ImageFolderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string F(params string[] parts) => Path.Combine([_dir.Path, .. parts]);

    /// <summary>Asserts every pixel of image <paramref name="index"/> equals (r, g, b) within ±<paramref name="tolerance"/>.</summary>
    private static void AssertSolid(LabeledImages d, int index, byte r, byte g, byte b, int tolerance)
    {
        ReadOnlySpan<byte> image = d.GetImage(index);
        int plane = d.Rows * d.Cols;
        byte[] expected = [r, g, b];
        for (int c = 0; c < 3; c++)
            foreach (byte v in image.Slice(c * plane, plane))
                Assert.InRange(v, expected[c] - tolerance, expected[c] + tolerance);
    }

    [Fact]
    public void PngAndJpegOfDifferentSizes_AreResizedToTheFirstImage_SolidColoursKept()
    {
        ImageTestFiles.Solid(F("apple", "1.png"), 8, 6, new SKColor(255, 0, 0));
        ImageTestFiles.Solid(F("banana", "1.jpg"), 20, 15, new SKColor(10, 200, 30), SKEncodedImageFormat.Jpeg);
        ImageTestFiles.Solid(F("banana", "2.JPEG"), 3, 3, new SKColor(40, 50, 250), SKEncodedImageFormat.Jpeg);

        LabeledImages d = ImageFolder.Load(_dir.Path);

        Assert.Equal((3, 3, 6, 8), (d.Count, d.Channels, d.Rows, d.Cols));
        Assert.Equal(["apple", "banana"], d.ClassNames);
        Assert.Equal(new byte[] { 0, 1, 1 }, d.Labels);
        AssertSolid(d, 0, 255, 0, 0, tolerance: 0);    // PNG, no resize: exact
        AssertSolid(d, 1, 10, 200, 30, tolerance: 2);  // JPEG shrunk 20x15 -> 8x6
        AssertSolid(d, 2, 40, 50, 250, tolerance: 2);  // JPEG enlarged 3x3 -> 8x6
    }

    [Fact]
    public void RequestedSize_IsUsed_AndPngPixelsAreExactWithoutResizing()
    {
        Func<int, int, SKColor> pattern = (x, y) => new SKColor((byte)(x * 30), (byte)(y * 40), (byte)(x * y * 7 + 1));
        ImageTestFiles.Write(F("c", "pattern.png"), 7, 5, pattern);

        LabeledImages same = ImageFolder.Load(_dir.Path, options: new ImageFolderOptions { Width = 7, Height = 5, Color = ImageColorMode.Rgb });
        LabeledImages small = ImageFolder.Load(_dir.Path, options: new ImageFolderOptions { Width = 4, Height = 3 });

        Assert.Equal((1, 3, 5, 7), (same.Count, same.Channels, same.Rows, same.Cols));
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 7; x++)
            {
                SKColor c = pattern(x, y);
                Assert.Equal(c.Red, same.Pixels[0 * 35 + y * 7 + x]);
                Assert.Equal(c.Green, same.Pixels[1 * 35 + y * 7 + x]);
                Assert.Equal(c.Blue, same.Pixels[2 * 35 + y * 7 + x]);
            }
        Assert.Equal((1, 3, 3, 4), (small.Count, small.Channels, small.Rows, small.Cols));
    }

    [Fact]
    public void Shrinking_AveragesInsteadOfAliasing()
    {
        // A 1-pixel black/white checkerboard shrunk 8x: a plain bilinear sample would give 0 or 255; with mipmaps every
        // output pixel is the average, 127.5.
        ImageTestFiles.WriteGray(F("c", "checker.png"), 64, 64, (x, y) => (byte)((x + y) % 2 == 0 ? 0 : 255));

        LabeledImages d = ImageFolder.Load(_dir.Path, options: new ImageFolderOptions { Width = 8, Height = 8 });

        Assert.Equal(1, d.Channels);
        Assert.All(d.Pixels, v => Assert.InRange(v, 120, 135));
    }

    [Fact]
    public void AllGrayImages_GiveOneChannel_WhetherEncodedGrayOrRgb()
    {
        ImageTestFiles.WriteGray(F("a", "g8.png"), 4, 4, (x, y) => (byte)(16 * x + y));
        ImageTestFiles.Write(F("b", "rgb.png"), 4, 4, (x, y) => new SKColor((byte)(x + 100), (byte)(x + 100), (byte)(x + 100)));
        ImageTestFiles.WriteGray(F("b", "g8.jpg"), 4, 4, (_, _) => 77, SKEncodedImageFormat.Jpeg);

        LabeledImages d = ImageFolder.Load(_dir.Path);

        Assert.Equal((3, 1, 4, 4), (d.Count, d.Channels, d.Rows, d.Cols));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)(16 * (i % 4) + i / 4)).ToArray(), d.GetImage(0).ToArray());
        // Class b in ordinal order: g8.jpg, then rgb.png.
        Assert.All(d.GetImage(1).ToArray(), v => Assert.InRange(v, 75, 79));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)(i % 4 + 100)).ToArray(), d.GetImage(2).ToArray());
    }

    [Fact]
    public void OneColourImage_MakesTheSetRgb_AndGrayModeUsesLuma()
    {
        ImageTestFiles.WriteGray(F("a", "g.png"), 2, 2, (_, _) => 50);
        ImageTestFiles.Solid(F("b", "c.png"), 2, 2, new SKColor(200, 100, 0));

        LabeledImages auto = ImageFolder.Load(_dir.Path);
        LabeledImages gray = ImageFolder.Load(_dir.Path, options: new ImageFolderOptions { Color = ImageColorMode.Gray });

        Assert.Equal(3, auto.Channels);
        Assert.Equal(Enumerable.Repeat((byte)50, 12).ToArray(), auto.GetImage(0).ToArray());
        Assert.Equal(1, gray.Channels);
        Assert.Equal(Enumerable.Repeat((byte)50, 4).ToArray(), gray.GetImage(0).ToArray());
        // 0.299 * 200 + 0.587 * 100 + 0.114 * 0 = 118.5 -> 119 (round half up).
        Assert.Equal(Enumerable.Repeat((byte)119, 4).ToArray(), gray.GetImage(1).ToArray());
    }

    [Fact]
    public void Order_IsSortedAndInterleavedAcrossClasses_IgnoringHiddenAndOtherFiles()
    {
        for (int i = 0; i < 3; i++)
            ImageTestFiles.WriteGray(F("b", $"{i}.png"), 2, 2, (_, _) => (byte)(10 + i));
        ImageTestFiles.WriteGray(F("a", "z.png"), 2, 2, (_, _) => 1);
        ImageTestFiles.WriteGray(F("a", "nested", "y.png"), 2, 2, (_, _) => 2);
        ImageTestFiles.WriteGray(F(".hidden", "x.png"), 2, 2, (_, _) => 99);
        ImageTestFiles.WriteGray(F("a", ".x.png"), 2, 2, (_, _) => 99);
        File.WriteAllText(F("a", "notes.txt"), "not an image");

        LabeledImages d = ImageFolder.Load(_dir.Path);
        LabeledImages prefix = ImageFolder.Load(_dir.Path, maxSamples: 2);

        Assert.Equal(["a", "b"], d.ClassNames);
        // a: nested/y.png, z.png (ordinal path order: 'n' < 'z'); b: 0, 1, 2 — interleaved a, b, a, b, b.
        Assert.Equal(new byte[] { 0, 1, 0, 1, 1 }, d.Labels);
        Assert.Equal(new byte[] { 2, 10, 1, 11, 12 }, Enumerable.Range(0, 5).Select(i => d.GetImage(i)[0]).ToArray());
        Assert.Equal(new byte[] { 0, 1 }, prefix.Labels);
        Assert.Equal(d.Pixels.AsSpan(0, 8).ToArray(), prefix.Pixels);
    }

    [Fact]
    public void SplitLayout_LoadsEachSplit_WithTheSameClassesAndTheTrainSize()
    {
        ImageTestFiles.WriteGray(F("train", "cat", "1.png"), 6, 4, (_, _) => 1);
        ImageTestFiles.WriteGray(F("train", "dog", "1.png"), 6, 4, (_, _) => 2);
        ImageTestFiles.WriteGray(F("test", "dog", "1.png"), 3, 3, (_, _) => 3);
        ImageTestFiles.WriteGray(F("test", "emu", "1.png"), 3, 3, (_, _) => 4);

        LabeledImages train = ImageFolder.Load(_dir.Path, "train");
        LabeledImages test = ImageFolder.Load(_dir.Path, "Test");

        Assert.Equal(["cat", "dog", "emu"], train.ClassNames);
        Assert.Equal(["cat", "dog", "emu"], test.ClassNames);
        Assert.Equal(new byte[] { 0, 1 }, train.Labels);
        Assert.Equal(new byte[] { 1, 2 }, test.Labels);
        Assert.Equal((4, 6), (test.Rows, test.Cols));
        Assert.Equal(Enumerable.Repeat((byte)3, 24).ToArray(), test.GetImage(0).ToArray());
    }

    [Fact]
    public void FlatLayout_HasNoTestSplit_AndSaysSo()
    {
        ImageTestFiles.WriteGray(F("a", "1.png"), 2, 2, (_, _) => 1);

        var ex = Assert.Throws<DataFormatException>(() => ImageFolder.Load(_dir.Path, "test"));

        Assert.Contains("no test split", ex.Message);
        Assert.Contains(_dir.Path, ex.Message);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5, 6 }, "cannot be decoded")]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, "cannot be decoded")]
    public void BadImageFile_IsNamedInTheError(byte[] contents, string problem)
    {
        ImageTestFiles.WriteGray(F("a", "good.png"), 2, 2, (_, _) => 1);
        string bad = F("b", "bad.png");
        Directory.CreateDirectory(F("b"));
        File.WriteAllBytes(bad, contents);

        var ex = Assert.Throws<DataFormatException>(() => ImageFolder.Load(_dir.Path));

        Assert.Equal(bad, ex.FilePath);
        Assert.StartsWith(bad, ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Theory]
    [InlineData(100_000, 100_000, true)]
    [InlineData(16_000, 16_000, true)]
    [InlineData(100_000, 100_000, false)]
    public void ImageDeclaringAHugeSize_IsRefusedBeforeAnyPixelMemory(int width, int height, bool first)
    {
        // The header alone says how big the image is; nothing is allocated for it (a 16000² RGBA bitmap is 1 GB).
        if (!first) ImageTestFiles.WriteGray(F("a", "good.png"), 2, 2, (_, _) => 1);
        string huge = F(first ? "a" : "b", "huge.png");
        ImageTestFiles.PngHeaderOnly(huge, width, height);
        if (first) ImageTestFiles.WriteGray(F("b", "good.png"), 2, 2, (_, _) => 1);

        var ex = Assert.Throws<DataFormatException>(() => ImageFolder.Load(_dir.Path));

        Assert.Equal(huge, ex.FilePath);
        Assert.Contains($"declares {width}x{height} pixels", ex.Message);
        Assert.Contains("refused before decoding", ex.Message);
    }

    [Fact]
    public void TruncatedPng_IsAnErrorNotAHalfBlackImage()
    {
        string path = F("a", "cut.png");
        ImageTestFiles.Write(path, 32, 32, (x, y) => new SKColor((byte)(x * 8), (byte)(y * 8), (byte)(x ^ y)));
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var ex = Assert.Throws<DataFormatException>(() => ImageFolder.Load(_dir.Path));

        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void NoClassFolders_NoImages_AndTooManyClasses_AreClearErrors()
    {
        File.WriteAllText(F("loose.png"), "x");
        Assert.Contains("no class sub-folders", Assert.Throws<DataFormatException>(() => ImageFolder.Load(_dir.Path)).Message);

        Directory.CreateDirectory(F("empty-class"));
        Assert.Contains("holds an image", Assert.Throws<DataFormatException>(() => ImageFolder.Load(_dir.Path)).Message);

        for (int i = 0; i < 257; i++)
            Directory.CreateDirectory(F($"c{i:000}"));
        Assert.Contains("258 class folders", Assert.Throws<DataFormatException>(() => ImageFolder.Load(_dir.Path)).Message);
    }

    [Fact]
    public void BadArguments_AreRejectedBeforeDecoding()
    {
        ImageTestFiles.WriteGray(F("a", "1.png"), 2, 2, (_, _) => 1);

        Assert.Throws<ArgumentException>(() => ImageFolder.Load(_dir.Path, "valid"));
        Assert.Throws<ArgumentException>(() => ImageFolder.Load(_dir.Path, options: new ImageFolderOptions { Width = 4 }));
        Assert.Throws<ArgumentException>(() => ImageFolder.Load(_dir.Path, options: new ImageFolderOptions { Width = 0, Height = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(_dir.Path, maxSamples: -1));
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(F("missing")));
    }
}
