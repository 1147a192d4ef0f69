using AsymML.Tests.Data;

namespace AsymML.Tests.Cli;

/// <summary>A small Fashion-MNIST-like IDX data set for end-to-end command tests: three classes told apart by which
/// band of rows is bright.</summary>
internal static class BandImages
{
    public const int Side = 8;

    /// <summary>Writes <c>{prefix}-images-idx3-ubyte</c> and <c>{prefix}-labels-idx1-ubyte</c> ("train" or "t10k") to <paramref name="dir"/>.</summary>
    public static void Write(TempDir dir, string prefix, int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * Side * Side];
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray();
        for (int i = 0; i < pixels.Length; i++)
        {
            int image = i / (Side * Side), row = i % (Side * Side) / Side;
            pixels[i] = (byte)((row * 3 / Side == labels[image] ? 170 : 30) + random.Next(60));
        }
        IdxTestFiles.Write(dir.File($"{prefix}-images-idx3-ubyte"), IdxTestFiles.Idx(pixels, count, Side, Side), gzip: false);
        IdxTestFiles.Write(dir.File($"{prefix}-labels-idx1-ubyte"), IdxTestFiles.Idx(labels, count), gzip: false);
    }
}
