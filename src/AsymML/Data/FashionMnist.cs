namespace AsymML.Data;

/// <summary>
/// Loads the Fashion-MNIST data set (28x28 grayscale images of clothing, 10 classes; 60000 training and
/// 10000 test images) from its four IDX files, gzip-compressed or not. On Debian the package
/// <c>dataset-fashion-mnist</c> installs them in <see cref="DefaultDirectory"/>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Directory where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist/";

    /// <summary>Name of the Debian package that provides the data files.</summary>
    public const string DebianPackage = "dataset-fashion-mnist";

    /// <summary>Name of the training split (60000 images).</summary>
    public const string TrainSplit = "train";

    /// <summary>Name of the test split (10000 images).</summary>
    public const string TestSplit = "test";

    /// <summary>Number of classes; labels are 0 .. <see cref="ClassCount"/> - 1.</summary>
    public const int ClassCount = 10;

    /// <summary>Class names indexed by label (0 = "T-shirt/top" … 9 = "Ankle boot").</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    });

    /// <summary>
    /// Loads a split: images (count x rows x columns bytes, 0..255) and their labels (0..9).
    /// Only the first <paramref name="maxSamples"/> images and labels are read and decompressed.
    /// </summary>
    /// <param name="split"><see cref="TrainSplit"/> ("train") or <see cref="TestSplit"/> ("test"; "t10k" is also accepted), case-insensitive.</param>
    /// <param name="directory">Directory holding the IDX files; <see langword="null"/> means <see cref="DefaultDirectory"/>.</param>
    /// <param name="maxSamples">Upper bound on the samples read; <see langword="null"/> reads the whole split.</param>
    /// <returns>min(split size, <paramref name="maxSamples"/>) labelled images, in file order, with <see cref="ClassNames"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="split"/> is not a known split.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSamples"/> is negative.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">An images or labels file is missing.</exception>
    /// <exception cref="IdxFormatException">A file is malformed or truncated, the image and label counts differ, or a label is outside 0..9.</exception>
    public static LabeledImages Load(string split, string? directory = null, int? maxSamples = null)
    {
        if (maxSamples is int m)
            ArgumentOutOfRangeException.ThrowIfNegative(m, nameof(maxSamples));
        (string imagesPath, string labelsPath) = GetFilePaths(split, directory);

        // Compare the declared counts before reading any pixel data.
        int imageCount = IdxReader.ReadDimensions(imagesPath, 3)[0];
        int labelCount = IdxReader.ReadDimensions(labelsPath, 1)[0];
        if (imageCount != labelCount)
            throw new IdxFormatException(labelsPath,
                $"image and label counts do not match: the images file '{imagesPath}' declares {imageCount} images " +
                $"but the labels file '{labelsPath}' declares {labelCount} labels.");

        IdxArray images = IdxReader.ReadImages(imagesPath, maxSamples);
        IdxArray labels = IdxReader.ReadLabels(labelsPath, maxSamples);
        for (int i = 0; i < labels.Data.Length; i++)
        {
            if (labels.Data[i] >= ClassCount)
                throw new IdxFormatException(labelsPath,
                    $"label {labels.Data[i]} at position {i} is out of range: Fashion-MNIST labels must be 0..{ClassCount - 1}.");
        }
        return new LabeledImages(images.Data, labels.Data, images.Count, 1, images.Dimensions[1], images.Dimensions[2], ClassNames);
    }

    /// <summary>
    /// Finds the images and labels files of a split in <paramref name="directory"/>: <c>train-images-idx3-ubyte</c> /
    /// <c>train-labels-idx1-ubyte</c> or <c>t10k-images-idx3-ubyte</c> / <c>t10k-labels-idx1-ubyte</c>, each with
    /// or without a <c>.gz</c> suffix (the <c>.gz</c> name wins when both exist).
    /// </summary>
    /// <param name="split">"train" or "test" ("t10k" is also accepted), case-insensitive.</param>
    /// <param name="directory">Directory holding the files; <see langword="null"/> means <see cref="DefaultDirectory"/>.</param>
    /// <returns>Full paths of the existing images and labels files.</returns>
    /// <exception cref="ArgumentException"><paramref name="split"/> is not a known split.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing under both names.</exception>
    public static (string ImagesPath, string LabelsPath) GetFilePaths(string split, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        string prefix = split.Trim().ToLowerInvariant() switch
        {
            TrainSplit => "train",
            TestSplit or "t10k" => "t10k",
            _ => throw new ArgumentException($"Unknown Fashion-MNIST split '{split}'; use \"{TrainSplit}\" or \"{TestSplit}\".", nameof(split)),
        };

        directory ??= DefaultDirectory;
        if (!Directory.Exists(directory))
        {
            string hint = Path.GetFullPath(directory) == Path.GetFullPath(DefaultDirectory)
                ? $" Install the Debian package {DebianPackage} (apt install {DebianPackage}) to get the Fashion-MNIST files there."
                : " Pass the directory that holds the Fashion-MNIST IDX files.";
            throw new DirectoryNotFoundException($"The Fashion-MNIST directory '{directory}' does not exist.{hint}");
        }

        return (FindFile(directory, $"{prefix}-images-idx3-ubyte"), FindFile(directory, $"{prefix}-labels-idx1-ubyte"));
    }

    private static string FindFile(string directory, string baseName)
    {
        string gz = Path.Combine(directory, baseName + ".gz");
        if (File.Exists(gz))
            return gz;
        string raw = Path.Combine(directory, baseName);
        if (File.Exists(raw))
            return raw;
        throw new FileNotFoundException(
            $"Fashion-MNIST file '{gz}' is missing (also looked for '{raw}'). " +
            $"The Debian package {DebianPackage} provides it (apt install {DebianPackage}, files in {DefaultDirectory}).",
            gz);
    }
}
