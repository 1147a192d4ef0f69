namespace AsymML.Data;

/// <summary>How <see cref="ImageFolder"/> turns decoded images into channels.</summary>
public enum ImageColorMode
{
    /// <summary>One gray channel if every loaded image is gray (red = green = blue at every pixel), otherwise three RGB channels.</summary>
    Auto,

    /// <summary>One channel: gray images as they are, colour images as luma 0.299 R + 0.587 G + 0.114 B, rounded.</summary>
    Gray,

    /// <summary>Three channels, red, green, blue (a gray image gets three equal planes).</summary>
    Rgb,
}
