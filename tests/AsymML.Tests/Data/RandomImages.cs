using AsymML.Data;

namespace AsymML.Tests.Data;

/// <summary>Uniformly random one-channel images with labels 0, 1, 2, 0, …: data the engine can run on, nothing to learn.</summary>
internal static class RandomImages
{
    public static LabeledImages Make(int count, int side, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * side * side];
        random.NextBytes(pixels);
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 3)).ToArray();
        return new LabeledImages(pixels, labels, count, 1, side, side, ["a", "b", "c"]);
    }
}
