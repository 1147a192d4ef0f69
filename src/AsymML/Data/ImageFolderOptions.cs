namespace AsymML.Data;

/// <summary>
/// How <see cref="ImageFolder.Load"/> shapes the images it decodes. Immutable; the defaults (all <see langword="null"/>
/// and <see cref="ImageColorMode.Auto"/>) keep the first image's size and detect gray sets.
/// </summary>
public sealed record ImageFolderOptions
{
    /// <summary>The default options: size of the first image, colour mode <see cref="ImageColorMode.Auto"/>.</summary>
    public static ImageFolderOptions Default { get; } = new();

    /// <summary>
    /// Width every image is resized to, in pixels; <see langword="null"/> (default) uses the width of the first image of
    /// the train split. Set it together with <see cref="Height"/>.
    /// </summary>
    public int? Width { get; init; }

    /// <summary>Height every image is resized to, in pixels; <see langword="null"/> (default) uses the first image's height.</summary>
    public int? Height { get; init; }

    /// <summary>Gray (1 channel), RGB (3 channels) or detected from the images (default <see cref="ImageColorMode.Auto"/>).</summary>
    public ImageColorMode Color { get; init; } = ImageColorMode.Auto;

    /// <summary>Throws when the options cannot be used.</summary>
    /// <exception cref="ArgumentException">Only one of width and height is set, a size is not positive, or the colour mode is unknown.</exception>
    public void Validate()
    {
        if (Width.HasValue != Height.HasValue)
            throw new ArgumentException($"Set both the width and the height of the images, or neither (got width {Width?.ToString() ?? "unset"}, height {Height?.ToString() ?? "unset"}).");
        if (Width is <= 0 || Height is <= 0)
            throw new ArgumentException($"Image width and height must be positive pixels (got {Width}x{Height}).");
        if (!Enum.IsDefined(Color))
            throw new ArgumentException($"Unknown colour mode {(int)Color}; use Auto, Gray or Rgb.");
    }
}
