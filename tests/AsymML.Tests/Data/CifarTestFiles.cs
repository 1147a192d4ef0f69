namespace AsymML.Tests.Data;

/// <summary>Writes small CIFAR-10 binary batch files for tests.</summary>
internal static class CifarTestFiles
{
    public const int RecordSize = 3073;

    /// <summary>One record: the label byte, then 3072 deterministic pseudo-random pixel bytes (R, G, B planes).</summary>
    public static byte[] Record(byte label, int seed) => [label, .. IdxTestFiles.Bytes(3072, seed)];

    /// <summary>Writes <paramref name="labels"/>.Length records (seeds seed0, seed0 + 1, …) and returns the file's bytes.</summary>
    public static byte[] WriteBatch(string path, byte[] labels, int seed0)
    {
        byte[] bytes = labels.SelectMany((l, i) => Record(l, seed0 + i)).ToArray();
        File.WriteAllBytes(path, bytes);
        return bytes;
    }
}
