using SkiaSharp;

namespace AsymML.Tests.Data;

/// <summary>Writes small PNG and JPEG images with SkiaSharp for tests.</summary>
internal static class ImageTestFiles
{
    /// <summary>Encodes an RGB image whose pixel (x, y) is <paramref name="color"/>(x, y); creates the folder.</summary>
    public static void Write(string path, int width, int height, Func<int, int, SKColor> color, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, color(x, y));
        Encode(path, bitmap, format);
    }

    /// <summary>Encodes a single-channel (Gray8) image, so the file itself is grayscale.</summary>
    public static void WriteGray(string path, int width, int height, Func<int, int, byte> value, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[y * bitmap.RowBytes + x] = value(x, y);
        Encode(path, bitmap, format);
    }

    public static void Solid(string path, int width, int height, SKColor color, SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Write(path, width, height, (_, _) => color, format);

    private static void Encode(string path, SKBitmap bitmap, SKEncodedImageFormat format)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using SKData data = bitmap.Encode(format, quality: 100) ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        File.WriteAllBytes(path, data.ToArray());
    }
}
