using System.Buffers.Binary;
using System.IO.Compression;

namespace AsymML.Tests.Data;

/// <summary>Writes small IDX files (well-formed or deliberately broken) for tests.</summary>
internal static class IdxTestFiles
{
    /// <summary>Header bytes: magic 00 00 type rank, then each dimension as big-endian int32.</summary>
    public static byte[] Header(byte type, params int[] dims)
    {
        var h = new byte[4 + 4 * dims.Length];
        h[2] = type;
        h[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(4 + 4 * i), dims[i]);
        return h;
    }

    public static byte[] Idx(byte[] data, params int[] dims) => [.. Header(0x08, dims), .. data];

    public static void Write(string path, byte[] contents, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, contents);
            return;
        }
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(contents);
    }

    public static byte[] Gzip(byte[] contents)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(contents);
        return ms.ToArray();
    }

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] Bytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }
}
