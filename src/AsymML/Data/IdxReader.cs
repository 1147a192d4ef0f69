using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;

namespace AsymML.Data;

/// <summary>
/// Reads IDX files, the format of the MNIST and Fashion-MNIST distributions. Layout: a big-endian 4-byte
/// magic number (two zero bytes, a data-type byte, a byte giving the number of dimensions), one big-endian
/// int32 per dimension, then the values row-major. Only the unsigned-byte type (0x08) is supported.
/// Files may be gzip-compressed; compression is detected from the gzip magic bytes (1f 8b), not the file name.
/// Only the bytes needed for the requested number of items are read (and decompressed).
/// </summary>
public static class IdxReader
{
    /// <summary>IDX data-type code for unsigned bytes (the only supported type).</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Magic number of an unsigned-byte, 3-dimensional (count, rows, columns) images file.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte, 1-dimensional labels file.</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>
    /// Reads only the header of an IDX file and returns its declared dimensions (for images: count, rows, columns).
    /// </summary>
    /// <param name="path">Raw or gzip-compressed IDX file.</param>
    /// <param name="expectedRank">Required number of dimensions, or <see langword="null"/> to accept any.</param>
    /// <returns>The dimensions declared in the header, outermost first.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IdxFormatException">The header is malformed, truncated, of an unsupported type or rank.</exception>
    public static IReadOnlyList<int> ReadDimensions(string path, int? expectedRank = null)
    {
        using Stream stream = OpenDecompressed(path);
        return ReadHeader(stream, path, expectedRank);
    }

    /// <summary>
    /// Reads an unsigned-byte IDX file, or its first <paramref name="maxItems"/> items along the first dimension.
    /// </summary>
    /// <param name="path">Raw or gzip-compressed IDX file.</param>
    /// <param name="expectedRank">Required number of dimensions, or <see langword="null"/> to accept any rank of at least 1.</param>
    /// <param name="maxItems">Upper bound on the items read (first dimension); <see langword="null"/> reads all.</param>
    /// <returns>The values with their shape; the first dimension is min(declared count, <paramref name="maxItems"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxItems"/> is negative.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IdxFormatException">The file is malformed, truncated, or not of the expected type or rank.</exception>
    public static IdxArray Read(string path, int? expectedRank = null, int? maxItems = null)
    {
        if (maxItems is int m)
            ArgumentOutOfRangeException.ThrowIfNegative(m, nameof(maxItems));
        if (expectedRank is int r)
            ArgumentOutOfRangeException.ThrowIfLessThan(r, 1, nameof(expectedRank));

        using Stream stream = OpenDecompressed(path);
        int[] declared = ReadHeader(stream, path, expectedRank);
        if (declared.Length == 0)
            throw new IdxFormatException(path, "the IDX header declares 0 dimensions; at least 1 (the item count) is required.");

        int take = Math.Min(declared[0], maxItems ?? int.MaxValue);
        // BigInteger: a hostile header can declare sizes whose product overflows a long.
        BigInteger itemSizeBig = BigInteger.One;
        for (int i = 1; i < declared.Length; i++)
            itemSizeBig *= declared[i];
        BigInteger neededBig = take * itemSizeBig;
        string items = declared.Length == 3 ? "images" : declared.Length == 1 ? "labels" : "items";
        string itemShape = declared.Length > 1 ? $" of {string.Join("x", declared.Skip(1))} = {itemSizeBig} bytes each" : "";
        if (neededBig > Array.MaxLength)
            throw new IdxFormatException(path,
                $"reading {take} {items}{itemShape} needs {neededBig} bytes, more than fits in one array ({Array.MaxLength} bytes); request fewer items.");

        int needed = (int)neededBig;
        var data = new byte[needed];
        int present = ReadFully(stream, data, path);
        if (present < needed)
        {
            // Here needed > 0, so 0 < item size <= needed and the division is safe.
            int complete = present / (int)itemSizeBig;
            throw new IdxFormatException(path,
                $"the file is truncated: its data section should hold {needed} bytes ({take} {items}{itemShape}), " +
                $"but only {present} bytes are present ({complete} complete {(complete == 1 ? items.TrimEnd('s') : items)}).");
        }

        int[] dims = (int[])declared.Clone();
        dims[0] = take;
        return new IdxArray(path, dims, declared[0], data);
    }

    /// <summary>Reads an images file: unsigned bytes, 3 dimensions (count, rows, columns), magic 0x00000803.</summary>
    /// <param name="path">Raw or gzip-compressed IDX images file.</param>
    /// <param name="maxCount">Upper bound on the images read; <see langword="null"/> reads all.</param>
    /// <returns>Pixels (0..255) with shape [count, rows, columns], row-major.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IdxFormatException">The file is malformed, truncated, or not a 3-dimensional unsigned-byte file.</exception>
    public static IdxArray ReadImages(string path, int? maxCount = null) => Read(path, 3, maxCount);

    /// <summary>Reads a labels file: unsigned bytes, 1 dimension (count), magic 0x00000801.</summary>
    /// <param name="path">Raw or gzip-compressed IDX labels file.</param>
    /// <param name="maxCount">Upper bound on the labels read; <see langword="null"/> reads all.</param>
    /// <returns>Labels with shape [count].</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IdxFormatException">The file is malformed, truncated, or not a 1-dimensional unsigned-byte file.</exception>
    public static IdxArray ReadLabels(string path, int? maxCount = null) => Read(path, 1, maxCount);

    /// <summary>
    /// Opens <paramref name="path"/> for sequential reading, transparently decompressing it when it starts
    /// with the gzip magic bytes 1f 8b (whatever its extension).
    /// </summary>
    /// <param name="path">File to open.</param>
    /// <returns>A forward-only stream of the (decompressed) contents; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Stream OpenDecompressed(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            string what = Directory.Exists(path) ? "is a directory, not a file" : "does not exist";
            throw new FileNotFoundException($"IDX file '{path}' {what}.", path);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> probe = stackalloc byte[2];
            int n = file.ReadAtLeast(probe, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (n == 2 && probe[0] == 0x1f && probe[1] == 0x8b)
                return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static int[] ReadHeader(Stream stream, string path, int? expectedRank)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = ReadFully(stream, magic, path);
        if (got < 4)
            throw new IdxFormatException(path,
                $"the file is truncated: an IDX header starts with a 4-byte magic number, but the file holds only {got} byte{(got == 1 ? "" : "s")}.");

        uint found = BinaryPrimitives.ReadUInt32BigEndian(magic);
        byte type = magic[2];
        int rank = magic[3];
        string expectedMagic = expectedRank is int er ? $"0x{ExpectedMagic(er):X8}" : "0x000008NN";
        string expected = expectedRank is int er2
            ? $"{expectedMagic} (unsigned bytes, {er2} dimension{(er2 == 1 ? "" : "s")})"
            : $"{expectedMagic} (unsigned bytes, NN dimensions)";

        if (magic[0] != 0 || magic[1] != 0)
            throw new IdxFormatException(path,
                $"wrong magic number: expected {expected} but found 0x{found:X8}; this is not an IDX file" +
                (magic[0] == 0x1f && magic[1] == 0x8b ? " (it looks gzip-compressed twice)." : "."));

        if (type != UnsignedByteType)
            throw new IdxFormatException(path,
                $"unsupported IDX data type 0x{type:X2} ({TypeName(type)}) in magic number 0x{found:X8}; only 0x08 (unsigned byte) is supported, so the expected magic number is {expected}.");

        if (expectedRank is int want && rank != want)
            throw new IdxFormatException(path,
                $"wrong number of dimensions: the magic number 0x{found:X8} declares {rank} dimension{(rank == 1 ? "" : "s")}, " +
                $"but {DescribeRank(want)} {(want == 1 ? "was" : "were")} expected, i.e. magic number {expectedMagic}.");

        Span<byte> dimBytes = stackalloc byte[4 * rank];
        got = ReadFully(stream, dimBytes, path);
        if (got < dimBytes.Length)
            throw new IdxFormatException(path,
                $"the file is truncated inside its header: {rank} dimension sizes need {4 + 4 * rank} header bytes, but the file holds only {4 + got} bytes.");

        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.Slice(4 * i, 4));
            if (dims[i] < 0)
                throw new IdxFormatException(path, $"dimension {i} has negative size {dims[i]} in the header.");
        }
        return dims;
    }

    private static string DescribeRank(int rank) => rank switch
    {
        1 => "1 dimension (count; a labels file)",
        3 => "3 dimensions (count, rows, columns; an images file)",
        _ => $"{rank} dimensions",
    };

    private static uint ExpectedMagic(int rank) => (uint)(UnsignedByteType << 8) | (uint)(rank & 0xFF);

    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not a valid IDX type",
    };

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadFully(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"the gzip-compressed data is corrupt or truncated: {e.Message}", e);
        }
    }
}
