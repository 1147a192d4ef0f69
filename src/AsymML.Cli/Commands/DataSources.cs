using AsymML.Data;
using AsymML.Execution;
using AsymML.Sealing;

namespace AsymML.Cli.Commands;

/// <summary>Turns a <c>--data</c> value into a <see cref="DataSource"/>: a sealed file (the host reads only its public
/// header here; the enclave opens it with the key) or a plain data set loaded on the host.</summary>
internal static class DataSources
{
    public static DataSource Open(string data, string split, FileInfo? key, int? maxSamples)
    {
        if (data.EndsWith(DataSetSpec.SealedExtension, StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(data))
                throw new UserErrorException($"The sealed data set {data} does not exist.");
            if (key is null)
                throw new UserErrorException($"{data} is sealed: give the data owner's key with --key (the enclave reads it; the host does not).");
            if (!key.Exists)
                throw new UserErrorException($"The key file {key.FullName} does not exist.");
            DataOptions.WarnIfOthersCanRead(key);
            return new SealedDataSource(data); // refuses a file that is not sealed data, with the reason
        }
        return new PlainDataSource(DataOptions.Load(data, split, maxSamples));
    }

    public static int Channels(DataSource source) => source switch
    {
        SealedDataSource s => s.Header.Channels,
        PlainDataSource p => p.Images.Channels,
        _ => throw new ArgumentException("unknown source"),
    };

    public static int Classes(DataSource source) => source switch
    {
        SealedDataSource s => s.Header.ClassCount,
        PlainDataSource { Images.ClassNames: { } names } => names.Count,
        PlainDataSource p => Math.Max(2, p.Images.Labels.Max() + 1),
        _ => throw new ArgumentException("unknown source"),
    };

    public static string Describe(DataSource source) => source switch
    {
        SealedDataSource s => $"sealed {Path.GetFileName(s.Path)}, {s.Header.ChunkCount} chunks: the host holds ciphertext only",
        _ => "plain",
    };
}
