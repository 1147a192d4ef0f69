namespace AsymML.Data;

/// <summary>
/// Loads a labelled image collection laid out as folders: <c>root/&lt;class&gt;/&lt;image&gt;</c>, or with splits
/// <c>root/train/&lt;class&gt;/…</c> and <c>root/test/&lt;class&gt;/…</c>. Images are PNG or JPEG (<see cref="ImageExtensions"/>,
/// any case, also in nested folders of a class), decoded with SkiaSharp, resized to one size and stored as bytes.
/// <para>
/// Order is deterministic and independent of the file system: class names are sorted ordinally (label = index), the
/// files of each class are sorted ordinally by path, and the classes are then interleaved round-robin (first file of
/// every class, then the second, …), so that a <c>maxSamples</c> prefix holds every class rather than only the first.
/// Entries whose name starts with '.' (hidden folders, editor files) and files of other types are ignored.
/// </para>
/// </summary>
public static class ImageFolder
{
    /// <summary>Name of the training split, and of its sub-folder in a split layout.</summary>
    public const string TrainSplit = "train";

    /// <summary>Name of the test split, and of its sub-folder in a split layout.</summary>
    public const string TestSplit = "test";

    /// <summary>Most classes a folder may have: labels are stored as bytes (0..255).</summary>
    public const int MaxClassCount = 256;

    /// <summary>File extensions loaded as images, compared case-insensitively.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = Array.AsReadOnly(new[] { ".png", ".jpg", ".jpeg" });

    /// <summary>
    /// Loads a split: every image resized to the requested (or first image's) size, as bytes [count, C, height, width]
    /// with C = 1 (gray) or 3 (RGB, planar), labelled by the index of its class folder, with the folder names as
    /// <see cref="LabeledImages.ClassNames"/>. Only the first <paramref name="maxSamples"/> images are decoded.
    /// </summary>
    /// <param name="root">Folder with one sub-folder per class, or with <c>train</c> and <c>test</c> sub-folders that each have one.</param>
    /// <param name="split">"train" or "test", case-insensitive. Without split folders the whole root is "train" and "test" is an error.</param>
    /// <param name="maxSamples">Upper bound on the images decoded; <see langword="null"/> loads all.</param>
    /// <param name="options">Size and colour mode; <see langword="null"/> means <see cref="ImageFolderOptions.Default"/>.
    /// The default size is that of the first image of the train split, so both splits get the same shape.</param>
    /// <returns>min(image count, <paramref name="maxSamples"/>) labelled images in the documented order.</returns>
    /// <exception cref="ArgumentException"><paramref name="split"/> is unknown, or the options are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSamples"/> is negative.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="DataFormatException">No class folders, more than 256 classes, no images, no such split, or an image that is empty or cannot be decoded (named).</exception>
    public static LabeledImages Load(string root, string split = TrainSplit, int? maxSamples = null, ImageFolderOptions? options = null)
    {
        if (maxSamples is int m)
            ArgumentOutOfRangeException.ThrowIfNegative(m, nameof(maxSamples));
        options ??= ImageFolderOptions.Default;
        options.Validate();

        IReadOnlyList<string> classes = GetClassNames(root);
        string splitDirectory = GetSplitDirectory(root, split);
        List<(string Path, byte Label)> files = ListImages(splitDirectory, classes);
        if (files.Count == 0)
            throw new DataFormatException(splitDirectory,
                $"none of the {classes.Count} class folders holds an image ({string.Join(", ", ImageExtensions)}); put the images in {Path.Combine(splitDirectory, "<class>")}.");
        int take = Math.Min(files.Count, maxSamples ?? int.MaxValue);

        (int width, int height) = options.Width is int w && options.Height is int h ? (w, h) : DefaultSize(root, files[0].Path, classes);
        long plane = (long)width * height;
        if (take * 3 * plane > Array.MaxLength)
            throw new ArgumentException($"{take} images of 3x{height}x{width} do not fit in one array; request fewer images or a smaller size.");

        var rgb = new byte[take * 3 * plane];
        var labels = new byte[take];
        bool allGray = true;
        for (int i = 0; i < take; i++)
        {
            allGray &= ImageDecoder.DecodeRgb(files[i].Path, width, height, rgb.AsSpan((int)(i * 3 * plane), (int)(3 * plane)));
            labels[i] = files[i].Label;
        }

        bool gray = options.Color switch
        {
            ImageColorMode.Gray => true,
            ImageColorMode.Rgb => false,
            _ => take > 0 && allGray,
        };
        byte[] pixels = gray ? ToGray(rgb, take, (int)plane) : rgb;
        return new LabeledImages(pixels, labels, take, gray ? 1 : 3, height, width, classes);
    }

    /// <summary>Whether <paramref name="root"/> uses the split layout (it has a <c>train</c> or a <c>test</c> sub-folder).</summary>
    /// <param name="root">An existing folder.</param>
    public static bool HasSplitFolders(string root) =>
        Directory.Exists(Path.Combine(root, TrainSplit)) || Directory.Exists(Path.Combine(root, TestSplit));

    /// <summary>
    /// The class names (sub-folder names, ordinal order; label = index). In the split layout they are the union of the
    /// class folders of both splits, so a label means the same class in train and test even if a split lacks a class.
    /// </summary>
    /// <param name="root">The image folder root.</param>
    /// <returns>1 .. <see cref="MaxClassCount"/> names.</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    /// <exception cref="DataFormatException">There are no class folders, or more than <see cref="MaxClassCount"/>.</exception>
    public static IReadOnlyList<string> GetClassNames(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The image folder '{root}' does not exist.");
        string[] parents = HasSplitFolders(root)
            ? new[] { TrainSplit, TestSplit }.Select(s => Path.Combine(root, s)).Where(Directory.Exists).ToArray()
            : [root];
        string[] classes = parents.SelectMany(VisibleSubdirectories).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
            throw new DataFormatException(string.Join(", ", parents),
                "no class sub-folders found; lay the images out as <root>/<class>/<image>.png|.jpg|.jpeg " +
                "(or <root>/train/<class>/… and <root>/test/<class>/…).");
        if (classes.Length > MaxClassCount)
            throw new DataFormatException(root,
                $"{classes.Length} class folders found, more than the {MaxClassCount} that byte labels can hold; merge classes or split the data set.");
        return Array.AsReadOnly(classes);
    }

    private static string GetSplitDirectory(string root, string split)
    {
        ArgumentNullException.ThrowIfNull(split);
        string name = split.Trim().ToLowerInvariant();
        if (name is not (TrainSplit or TestSplit))
            throw new ArgumentException($"Unknown image-folder split '{split}'; use \"{TrainSplit}\" or \"{TestSplit}\".", nameof(split));
        if (!HasSplitFolders(root))
        {
            if (name == TestSplit)
                throw new DataFormatException(root,
                    "has no 'train'/'test' sub-folders, so the whole folder is the train split and there is no test split. " +
                    "Arrange it as <root>/train/<class>/… and <root>/test/<class>/… to have one.");
            return root;
        }
        string dir = Path.Combine(root, name);
        if (!Directory.Exists(dir))
            throw new DataFormatException(root, $"uses the split layout but has no '{name}' sub-folder; create {dir}/<class>/… or load the other split.");
        return dir;
    }

    private static List<(string Path, byte Label)> ListImages(string splitDirectory, IReadOnlyList<string> classes)
    {
        var perClass = new List<string[]>(classes.Count);
        foreach (string name in classes)
        {
            string dir = Path.Combine(splitDirectory, name);
            perClass.Add(Directory.Exists(dir) ? ImagesUnder(dir).Order(StringComparer.Ordinal).ToArray() : []);
        }
        var files = new List<(string, byte)>(perClass.Sum(f => f.Length));
        int longest = perClass.Count == 0 ? 0 : perClass.Max(f => f.Length);
        for (int k = 0; k < longest; k++)
            for (int c = 0; c < perClass.Count; c++)
                if (k < perClass[c].Length)
                    files.Add((perClass[c][k], (byte)c));
        return files;
    }

    private static IEnumerable<string> ImagesUnder(string dir)
    {
        foreach (string file in Directory.EnumerateFiles(dir))
        {
            string name = Path.GetFileName(file);
            if (!name.StartsWith('.') && ImageExtensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase))
                yield return file;
        }
        foreach (string sub in Directory.EnumerateDirectories(dir))
            if (!Path.GetFileName(sub).StartsWith('.'))
                foreach (string file in ImagesUnder(sub))
                    yield return file;
    }

    private static IEnumerable<string> VisibleSubdirectories(string dir) =>
        Directory.EnumerateDirectories(dir).Select(Path.GetFileName).Where(n => !string.IsNullOrEmpty(n) && !n.StartsWith('.'))!;

    /// <summary>Size of the first image of the train split when there is one, else of <paramref name="firstOfSplit"/>.</summary>
    private static (int Width, int Height) DefaultSize(string root, string firstOfSplit, IReadOnlyList<string> classes)
    {
        string trainDirectory = HasSplitFolders(root) ? Path.Combine(root, TrainSplit) : root;
        string first = Directory.Exists(trainDirectory) && ListImages(trainDirectory, classes) is { Count: > 0 } train
            ? train[0].Path
            : firstOfSplit;
        return ImageDecoder.ReadSize(first);
    }

    /// <summary>Planar RGB [n, 3, plane] to gray [n, 1, plane] by integer luma (exact for gray pixels: R = G = B gives R).</summary>
    private static byte[] ToGray(byte[] rgb, int count, int plane)
    {
        var gray = new byte[count * plane];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> r = rgb.AsSpan(i * 3 * plane, plane), g = rgb.AsSpan(i * 3 * plane + plane, plane), b = rgb.AsSpan(i * 3 * plane + 2 * plane, plane);
            Span<byte> dst = gray.AsSpan(i * plane, plane);
            for (int p = 0; p < plane; p++)
                dst[p] = (byte)((299 * r[p] + 587 * g[p] + 114 * b[p] + 500) / 1000);
        }
        return gray;
    }
}
