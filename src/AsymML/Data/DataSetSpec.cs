using System.Globalization;
using System.Text.RegularExpressions;

namespace AsymML.Data;

/// <summary>
/// A parsed data-set specification: which loader reads which directory, and for image folders the image size and
/// colour mode. The text forms are listed in <see cref="AcceptedForms"/>; <see cref="ToString"/> gives the canonical
/// text, which parses back to an equal spec.
/// </summary>
/// <param name="Kind">The format.</param>
/// <param name="Directory">The directory the loader reads (for Fashion-MNIST by default <see cref="FashionMnist.DefaultDirectory"/>).</param>
/// <param name="Width">Image-folder target width in pixels; <see langword="null"/> = the first image's. Always null for the other kinds.</param>
/// <param name="Height">Image-folder target height in pixels; <see langword="null"/> = the first image's.</param>
/// <param name="Color">Image-folder colour mode (default <see cref="ImageColorMode.Auto"/>); Auto for the other kinds.</param>
public sealed partial record DataSetSpec(DataSetKind Kind, string Directory, int? Width = null, int? Height = null, ImageColorMode Color = ImageColorMode.Auto)
{
    /// <summary>Extension of sealed (encrypted) data files, which this parser refuses (they need a key).</summary>
    public const string SealedExtension = ".asymdata";

    /// <summary>Human-readable list of the accepted spec forms, as printed in every parse error.</summary>
    public const string AcceptedForms =
        "fashion-mnist                      Fashion-MNIST from " + FashionMnist.DefaultDirectory + " (Debian package " + FashionMnist.DebianPackage + ")\n" +
        "fashion-mnist:<dir>                Fashion-MNIST IDX files in <dir>\n" +
        "cifar10:<dir>                      CIFAR-10 binary batches in <dir> (the cifar-10-batches-bin folder or its parent)\n" +
        "folder:<dir>[@WxH][,gray|,rgb]     PNG/JPEG images in <dir>/<class>/ (or <dir>/train/<class>/, <dir>/test/<class>/), e.g. folder:pets@64x64,rgb\n" +
        "<dir>[@WxH][,gray|,rgb]            an existing directory, detected: IDX files -> fashion-mnist, *.bin batches -> cifar10, class sub-folders -> folder";

    private const string FashionMnistPrefix = "fashion-mnist";
    private const string Cifar10Prefix = "cifar10";
    private const string FolderPrefix = "folder";

    /// <summary>
    /// Parses a spec. Prefixes are case-insensitive; a bare directory must exist and is classified by <see cref="Detect"/>.
    /// </summary>
    /// <param name="spec">One of the <see cref="AcceptedForms"/>.</param>
    /// <returns>The spec; directories of prefixed forms are not checked here (the loader reports a missing one).</returns>
    /// <exception cref="ArgumentException">The text is none of the accepted forms (the message lists them), names a sealed
    /// <c>.asymdata</c> file, gives an image size or colour to a format that has fixed ones, or is a directory whose format cannot be detected.</exception>
    public static DataSetSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = spec.Trim();
        if (text.Length == 0)
            throw Error(spec, "it is empty");
        if (text.EndsWith(SealedExtension, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"'{spec}' is a sealed data file: its images are encrypted for the enclave, so it needs the data owner's key and the " +
                "sealed-data loader (the enclave's sealed reader), not this plaintext loader.", nameof(spec));
        if (text.Equals(FashionMnistPrefix, StringComparison.OrdinalIgnoreCase))
            return new DataSetSpec(DataSetKind.FashionMnist, FashionMnist.DefaultDirectory);
        if (text.Equals(Cifar10Prefix, StringComparison.OrdinalIgnoreCase) || text.Equals(FolderPrefix, StringComparison.OrdinalIgnoreCase))
            throw Error(spec, $"'{text}' needs a directory, as in {text.ToLowerInvariant()}:<dir>");

        int colon = text.IndexOf(':');
        DataSetKind? kind = colon <= 0 ? null : text[..colon].ToLowerInvariant() switch
        {
            FashionMnistPrefix => DataSetKind.FashionMnist,
            Cifar10Prefix => DataSetKind.Cifar10,
            FolderPrefix => DataSetKind.ImageFolder,
            _ => null,
        };
        string rest = kind is null ? text : text[(colon + 1)..].Trim();
        (string directory, int? width, int? height, ImageColorMode color, bool hasImageOptions) = SplitImageOptions(spec, rest);
        if (directory.Length == 0)
            throw Error(spec, "the directory is missing");

        if (kind is null)
        {
            if (!System.IO.Directory.Exists(directory))
                throw Error(spec, $"it has no known prefix and '{directory}' is not an existing directory");
            kind = Detect(directory).Kind;
        }
        if (hasImageOptions && kind != DataSetKind.ImageFolder)
            throw Error(spec, $"an image size or colour (@…) applies only to image folders; {kind} images have a fixed size and colour");
        return new DataSetSpec(kind.Value, directory, width, height, color);
    }

    /// <summary>
    /// Classifies an existing directory by its contents, in this order: Fashion-MNIST images IDX files
    /// (<c>train-images-idx3-ubyte</c> or <c>t10k-images-idx3-ubyte</c>, optionally <c>.gz</c>); CIFAR-10 batch files
    /// (<c>data_batch_1.bin</c>, …, <c>test_batch.bin</c>, here or in a <c>cifar-10-batches-bin</c> sub-folder); class sub-folders.
    /// </summary>
    /// <param name="directory">An existing directory.</param>
    /// <returns>A spec of the detected kind with default options.</returns>
    /// <exception cref="ArgumentException">The directory does not exist or matches none of the formats.</exception>
    public static DataSetSpec Detect(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new ArgumentException($"Cannot detect the data-set format of '{directory}': the directory does not exist.", nameof(directory));
        string[] idx = ["train-images-idx3-ubyte", "train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz"];
        if (idx.Any(name => File.Exists(Path.Combine(directory, name))))
            return new DataSetSpec(DataSetKind.FashionMnist, directory);
        if (Cifar10.HasBatchFiles(directory))
            return new DataSetSpec(DataSetKind.Cifar10, directory);
        if (System.IO.Directory.EnumerateDirectories(directory).Any(d => !Path.GetFileName(d).StartsWith('.')))
            return new DataSetSpec(DataSetKind.ImageFolder, directory);
        throw new ArgumentException(
            $"Cannot detect the data-set format of '{directory}': it holds no Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz], " +
            "t10k-images-idx3-ubyte[.gz]), no CIFAR-10 batch files (data_batch_1.bin … test_batch.bin) and no class sub-folders. " +
            $"Accepted specs:\n{AcceptedForms}", nameof(directory));
    }

    /// <summary>The canonical spec text, e.g. <c>folder:/data/pets@64x64,gray</c>; parses back to an equal spec.</summary>
    public override string ToString()
    {
        string prefix = Kind switch
        {
            DataSetKind.FashionMnist => FashionMnistPrefix,
            DataSetKind.Cifar10 => Cifar10Prefix,
            _ => FolderPrefix,
        };
        var options = new List<string>();
        if (Width is int w && Height is int h)
            options.Add(string.Create(CultureInfo.InvariantCulture, $"{w}x{h}"));
        if (Color != ImageColorMode.Auto)
            options.Add(Color.ToString().ToLowerInvariant());
        return $"{prefix}:{Directory}" + (options.Count > 0 ? "@" + string.Join(",", options) : "");
    }

    /// <summary>Splits a trailing "@WxH", "@gray", "@rgb" or "@WxH,gray" from a directory; other '@' stay in the path.</summary>
    private static (string Directory, int? Width, int? Height, ImageColorMode Color, bool HasOptions) SplitImageOptions(string spec, string text)
    {
        Match match = ImageOptionsPattern().Match(text);
        if (!match.Success)
            return (text, null, null, ImageColorMode.Auto, false);
        int? width = null, height = null;
        ImageColorMode color = ImageColorMode.Auto;
        foreach (string item in match.Groups["options"].Value.Split(','))
        {
            string option = item.ToLowerInvariant();
            if (option is "gray" or "rgb")
            {
                if (color != ImageColorMode.Auto)
                    throw Error(spec, "the colour is given twice");
                color = option == "gray" ? ImageColorMode.Gray : ImageColorMode.Rgb;
                continue;
            }
            if (width is not null)
                throw Error(spec, "the image size is given twice");
            string[] parts = option.Split('x');
            if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w) || w <= 0 ||
                !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) || h <= 0)
                throw Error(spec, $"the image size '{item}' is not two positive whole numbers of pixels WxH, such as 64x64");
            (width, height) = (w, h);
        }
        return (text[..match.Index].Trim(), width, height, color, true);
    }

    [GeneratedRegex(@"@(?<options>(\d+x\d+|gray|rgb)(,(\d+x\d+|gray|rgb))*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ImageOptionsPattern();

    private static ArgumentException Error(string spec, string problem) =>
        new($"Data-set spec '{spec}' is not valid: {problem}. Accepted specs:\n{AcceptedForms}", "spec");
}
