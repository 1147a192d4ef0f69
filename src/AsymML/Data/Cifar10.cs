namespace AsymML.Data;

/// <summary>
/// Loads CIFAR-10 (32x32 RGB images, 10 classes; 50000 training images in five batches and 10000 test images) from
/// the "binary version" distribution: a folder <c>cifar-10-batches-bin</c> holding <c>data_batch_1.bin</c> …
/// <c>data_batch_5.bin</c> (train), <c>test_batch.bin</c> (test) and <c>batches.meta.txt</c> (class names, one a
/// line). Each record is <see cref="RecordSize"/> bytes: one label byte (0..9), then the 1024 red, the 1024 green
/// and the 1024 blue values, each plane row-major; that is already the planar layout of <see cref="LabeledImages"/>,
/// so records are copied as they are.
/// </summary>
public static class Cifar10
{
    /// <summary>Name of the folder the archive unpacks to; <see cref="Load"/> accepts it or its parent.</summary>
    public const string BatchDirectoryName = "cifar-10-batches-bin";

    /// <summary>Name of the training split (the five <c>data_batch_*.bin</c> files, 50000 images).</summary>
    public const string TrainSplit = "train";

    /// <summary>Name of the test split (<c>test_batch.bin</c>, 10000 images).</summary>
    public const string TestSplit = "test";

    /// <summary>Number of classes; labels are 0 .. <see cref="ClassCount"/> - 1.</summary>
    public const int ClassCount = 10;

    /// <summary>Image height and width in pixels (32).</summary>
    public const int ImageSize = 32;

    /// <summary>Channels per image (3: red, green, blue planes).</summary>
    public const int ChannelCount = 3;

    /// <summary>Bytes per record: 1 label byte + 3 x 32 x 32 pixel bytes = 3073.</summary>
    public const int RecordSize = 1 + ChannelCount * ImageSize * ImageSize;

    /// <summary>File holding the class names, one a line, in label order.</summary>
    public const string MetaFileName = "batches.meta.txt";

    /// <summary>File of the test split.</summary>
    public const string TestBatchFile = "test_batch.bin";

    /// <summary>Files of the training split, in the order their records are read.</summary>
    public static IReadOnlyList<string> TrainBatchFiles { get; } = Array.AsReadOnly(new[]
    {
        "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin",
    });

    /// <summary>The standard class names (0 = "airplane" … 9 = "truck"), used when <see cref="MetaFileName"/> is absent.</summary>
    public static IReadOnlyList<string> DefaultClassNames { get; } = Array.AsReadOnly(new[]
    {
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    });

    // Records are read this many at a time (~3 MB), so a full batch file never needs a second 30 MB buffer.
    private const int RecordsPerRead = 1024;

    /// <summary>
    /// Loads a split as images [count, 3, 32, 32] (bytes 0..255, planar R, G, B) with labels 0..9 and class names.
    /// Only the records needed for <paramref name="maxSamples"/> are read, in file order (batch 1 first).
    /// </summary>
    /// <param name="directory">The <c>cifar-10-batches-bin</c> folder, or a folder that contains it.</param>
    /// <param name="split"><see cref="TrainSplit"/> ("train") or <see cref="TestSplit"/> ("test"), case-insensitive.</param>
    /// <param name="maxSamples">Upper bound on the images read; <see langword="null"/> reads the whole split.</param>
    /// <returns>min(split size, <paramref name="maxSamples"/>) labelled images with <see cref="LabeledImages.ClassNames"/> set.</returns>
    /// <exception cref="ArgumentException"><paramref name="split"/> is not a known split.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSamples"/> is negative.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">A batch file of the split is missing.</exception>
    /// <exception cref="DataFormatException">A batch file is empty, not a whole number of records, truncated, or holds a label above 9; or the class-names file does not list 10 names.</exception>
    public static LabeledImages Load(string directory, string split, int? maxSamples = null)
    {
        if (maxSamples is int m)
            ArgumentOutOfRangeException.ThrowIfNegative(m, nameof(maxSamples));
        string[] paths = GetBatchPaths(directory, split);
        string batchDirectory = Path.GetDirectoryName(paths[0])!;

        // Check every file of the split from its length alone before reading any record, so a broken download
        // fails at once rather than after minutes of training on the first batches.
        long total = 0;
        var recordCounts = new long[paths.Length];
        for (int i = 0; i < paths.Length; i++)
        {
            long length = new FileInfo(paths[i]).Length;
            if (length == 0)
                throw new DataFormatException(paths[i], "the CIFAR-10 batch file is empty; download and unpack the binary version again.");
            if (length % RecordSize != 0)
                throw new DataFormatException(paths[i],
                    $"size {length} bytes is not a multiple of the {RecordSize}-byte CIFAR-10 record (1 label byte + 3072 pixel bytes); " +
                    "the file is truncated or not from the binary version (cifar-10-binary.tar.gz).");
            recordCounts[i] = length / RecordSize;
            total += recordCounts[i];
        }

        int take = (int)Math.Min(total, maxSamples ?? int.MaxValue);
        const int imageBytes = RecordSize - 1;
        if ((long)take * imageBytes > Array.MaxLength)
            throw new DataFormatException(paths[0], $"{take} images of {imageBytes} bytes do not fit in one array; pass a smaller maxSamples.");
        var pixels = new byte[take * imageBytes];
        var labels = new byte[take];
        int done = 0;
        for (int f = 0; f < paths.Length && done < take; f++)
            done += ReadRecords(paths[f], (int)Math.Min(recordCounts[f], take - done), pixels, labels, done);

        return new LabeledImages(pixels, labels, take, ChannelCount, ImageSize, ImageSize, ReadClassNames(batchDirectory));
    }

    /// <summary>
    /// The folder that holds the batch files: <paramref name="directory"/> itself, or its <c>cifar-10-batches-bin</c>
    /// sub-folder when it has one.
    /// </summary>
    /// <param name="directory">The batch folder or its parent.</param>
    /// <returns>The folder to read the batches from (not checked for batch files).</returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    public static string FindBatchDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException(
                $"The CIFAR-10 directory '{directory}' does not exist. Pass the '{BatchDirectoryName}' folder of the binary version, or the folder that contains it.");
        string nested = Path.Combine(directory, BatchDirectoryName);
        return Directory.Exists(nested) ? nested : directory;
    }

    /// <summary>Whether <paramref name="directory"/> (or its <c>cifar-10-batches-bin</c> sub-folder) holds any CIFAR-10 batch file.</summary>
    /// <param name="directory">An existing folder.</param>
    public static bool HasBatchFiles(string directory)
    {
        if (!Directory.Exists(directory))
            return false;
        string dir = FindBatchDirectory(directory);
        return TrainBatchFiles.Append(TestBatchFile).Any(name => File.Exists(Path.Combine(dir, name)));
    }

    private static string[] GetBatchPaths(string directory, string split)
    {
        ArgumentNullException.ThrowIfNull(split);
        IReadOnlyList<string> names = split.Trim().ToLowerInvariant() switch
        {
            TrainSplit => TrainBatchFiles,
            TestSplit => [TestBatchFile],
            _ => throw new ArgumentException($"Unknown CIFAR-10 split '{split}'; use \"{TrainSplit}\" or \"{TestSplit}\".", nameof(split)),
        };
        string dir = FindBatchDirectory(directory);
        string[] paths = names.Select(n => Path.Combine(dir, n)).ToArray();
        string[] missing = paths.Where(p => !File.Exists(p)).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException(
                $"CIFAR-10 batch file '{missing[0]}' is missing" +
                (missing.Length > 1 ? $" (also missing: {string.Join(", ", missing.Skip(1).Select(Path.GetFileName))})" : "") +
                $". The {split.Trim().ToLowerInvariant()} split needs {string.Join(", ", names)} in '{dir}' (unpack cifar-10-binary.tar.gz there).",
                missing[0]);
        return paths;
    }

    /// <summary>Reads the first <paramref name="count"/> records of <paramref name="path"/> into the arrays at image index <paramref name="start"/>.</summary>
    private static int ReadRecords(string path, int count, byte[] pixels, byte[] labels, int start)
    {
        const int imageBytes = RecordSize - 1;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[Math.Min(count, RecordsPerRead) * RecordSize];
        for (int first = 0; first < count; first += RecordsPerRead)
        {
            int n = Math.Min(RecordsPerRead, count - first);
            try
            {
                stream.ReadExactly(buffer, 0, n * RecordSize);
            }
            catch (EndOfStreamException e)
            {
                throw new DataFormatException(path, $"the file ended inside record {first} .. {first + n - 1}; it is truncated (was it changed while being read?).", e);
            }
            for (int r = 0; r < n; r++)
            {
                int offset = r * RecordSize;
                byte label = buffer[offset];
                if (label >= ClassCount)
                    throw new DataFormatException(path,
                        $"label {label} of record {first + r} (byte offset {(long)(first + r) * RecordSize}) is out of range: CIFAR-10 labels must be 0..{ClassCount - 1}. " +
                        "Is this a CIFAR-100 file (2 label bytes per record)?");
                labels[start + first + r] = label;
                buffer.AsSpan(offset + 1, imageBytes).CopyTo(pixels.AsSpan((start + first + r) * imageBytes));
            }
        }
        return count;
    }

    private static IReadOnlyList<string> ReadClassNames(string batchDirectory)
    {
        string path = Path.Combine(batchDirectory, MetaFileName);
        if (!File.Exists(path))
            return DefaultClassNames;
        // The distributed file lists the ten names and ends with blank lines; those (and stray '\r') are ignored.
        string[] names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (names.Length != ClassCount)
            throw new DataFormatException(path,
                $"the class-names file lists {names.Length} non-empty lines; CIFAR-10 needs exactly {ClassCount} (one name a line, in label order). Fix or delete it to use the standard names.");
        return Array.AsReadOnly(names);
    }
}
