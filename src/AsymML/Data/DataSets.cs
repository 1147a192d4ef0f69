namespace AsymML.Data;

/// <summary>
/// The single entry point for plaintext data sets: a spec string (see <see cref="DataSetSpec.AcceptedForms"/>) and a
/// split in, <see cref="LabeledImages"/> out. Sealed <c>.asymdata</c> files are refused here: they are decrypted only
/// by the enclave's sealed-data reader, with the data owner's key.
/// </summary>
public static class DataSets
{
    /// <summary>Parses <paramref name="spec"/> and loads the split it names.</summary>
    /// <param name="spec">For example <c>fashion-mnist</c>, <c>cifar10:/data/cifar</c>, <c>folder:/data/pets@64x64</c>, or a directory.</param>
    /// <param name="split">"train" or "test", case-insensitive.</param>
    /// <param name="maxSamples">Upper bound on the images read; <see langword="null"/> reads the whole split.</param>
    /// <returns>The images, with class names.</returns>
    /// <exception cref="ArgumentException">The spec is not valid (the message lists the accepted forms), or the split is unknown.</exception>
    /// <exception cref="IOException">A file or directory is missing or malformed (<see cref="DataFormatException"/>,
    /// <see cref="IdxFormatException"/>, <see cref="FileNotFoundException"/>, <see cref="DirectoryNotFoundException"/>), named in the message.</exception>
    public static LabeledImages Load(string spec, string split, int? maxSamples = null) => Load(DataSetSpec.Parse(spec), split, maxSamples);

    /// <summary>Loads the split that a parsed spec names; see <see cref="Load(string, string, int?)"/>.</summary>
    /// <param name="spec">A parsed spec.</param>
    /// <param name="split">"train" or "test", case-insensitive.</param>
    /// <param name="maxSamples">Upper bound on the images read; <see langword="null"/> reads the whole split.</param>
    /// <returns>The images, with class names.</returns>
    public static LabeledImages Load(DataSetSpec spec, string split, int? maxSamples = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            DataSetKind.FashionMnist => FashionMnist.Load(split, spec.Directory, maxSamples),
            DataSetKind.Cifar10 => Cifar10.Load(spec.Directory, split, maxSamples),
            DataSetKind.ImageFolder => ImageFolder.Load(spec.Directory, split, maxSamples,
                new ImageFolderOptions { Width = spec.Width, Height = spec.Height, Color = spec.Color }),
            _ => throw new ArgumentException($"Unknown data-set kind {spec.Kind}.", nameof(spec)),
        };
    }
}
