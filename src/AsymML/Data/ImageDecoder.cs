using SkiaSharp;

namespace AsymML.Data;

/// <summary>
/// Decodes PNG and JPEG files with SkiaSharp into planar 8-bit RGB at a requested size. Kept apart from
/// <see cref="ImageFolder"/> so all native decoding sits behind one door, and every decoder failure becomes a
/// <see cref="DataFormatException"/> that names the file.
/// </summary>
internal static class ImageDecoder
{
    // Linear filtering between linearly blended mipmap levels: when a large image is shrunk (say 256 -> 32) every
    // source pixel contributes, instead of the 1-in-64 sampling (aliasing) that plain bilinear filtering gives.
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <summary>The largest image decoded: 40 megapixels (e.g. 8000 x 5000), 160 MB as RGBA. A file's header can
    /// declare up to 2^31 x 2^31 pixels in a few bytes; the size is checked before any pixel memory is allocated.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>Width and height of an image from its header, without decoding the pixels.</summary>
    public static (int Width, int Height) ReadSize(string path)
    {
        using SKCodec codec = OpenCodec(path);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>
    /// Decodes <paramref name="path"/>, resizes it to <paramref name="width"/> x <paramref name="height"/> when it has
    /// another size, and writes it to <paramref name="planarRgb"/> (3 x height x width bytes: R plane, G plane, B plane).
    /// Transparent pixels are composited over black (the premultiplied values are kept).
    /// </summary>
    /// <returns>Whether the image is gray: red = green = blue at every pixel after resizing.</returns>
    public static bool DecodeRgb(string path, int width, int height, Span<byte> planarRgb)
    {
        int plane = width * height;
        if (planarRgb.Length != 3 * plane)
            throw new ArgumentException($"The destination holds {planarRgb.Length} bytes; {width}x{height} RGB needs {3 * plane}.", nameof(planarRgb));

        using SKCodec codec = OpenCodec(path);
        var decodedInfo = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(decodedInfo);
        SKCodecResult result = codec.GetPixels(decodedInfo, decoded.GetPixels());
        if (result != SKCodecResult.Success)
            throw new DataFormatException(path,
                $"the image could not be fully decoded ({Describe(result)}); the file is damaged or truncated. Replace or remove it.");

        SKBitmap rgba = decoded;
        SKBitmap? resized = null;
        try
        {
            if (decodedInfo.Width != width || decodedInfo.Height != height)
            {
                resized = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
                if (!decoded.ScalePixels(resized, Sampling))
                    throw new DataFormatException(path, $"resizing the {decodedInfo.Width}x{decodedInfo.Height} image to {width}x{height} failed.");
                rgba = resized;
            }

            ReadOnlySpan<byte> pixels = rgba.GetPixelSpan();
            Span<byte> r = planarRgb[..plane], g = planarRgb.Slice(plane, plane), b = planarRgb.Slice(2 * plane, plane);
            bool gray = true;
            int rowBytes = rgba.RowBytes;
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = pixels.Slice(y * rowBytes, 4 * width);
                int o = y * width;
                for (int x = 0; x < width; x++)
                {
                    byte rv = row[4 * x], gv = row[4 * x + 1], bv = row[4 * x + 2];
                    r[o + x] = rv;
                    g[o + x] = gv;
                    b[o + x] = bv;
                    gray &= rv == gv && gv == bv;
                }
            }
            return gray;
        }
        finally
        {
            resized?.Dispose();
        }
    }

    private static SKCodec OpenCodec(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new FileNotFoundException($"Image file '{path}' does not exist (was it removed while loading?).", path);
        if (file.Length == 0)
            throw new DataFormatException(path, "the image file is empty (0 bytes). Replace or remove it.");
        SKCodec? codec = SKCodec.Create(path, out SKCodecResult result);
        if (codec is null)
            throw new DataFormatException(path,
                $"the file cannot be decoded as an image ({Describe(result)}); only PNG and JPEG are supported. Replace or remove it.");
        (int width, int height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
        {
            codec.Dispose();
            throw new DataFormatException(path, $"the image declares an empty size {width}x{height}.");
        }
        if ((long)width * height > MaxPixels)
        {
            codec.Dispose();
            throw new DataFormatException(path,
                $"the image declares {width}x{height} pixels ({(long)width * height / 1e6:0.#} megapixels); images over {MaxPixels / 1_000_000} megapixels are refused before decoding. Shrink it first, or remove it.");
        }
        return codec;
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early",
        SKCodecResult.ErrorInInput => "the data is corrupt",
        SKCodecResult.Unimplemented => "unknown or unsupported format",
        SKCodecResult.InvalidInput => "the data is not valid",
        _ => $"decoder result {result}",
    };
}
