using AsymML.Boundary.Messages;
using AsymML.Data;
using AsymML.Sealing;
using static TorchSharp.torch;

namespace AsymML.Execution;

/// <summary>Turns a <see cref="DataSource"/> into the messages that give it to the enclave: one
/// <see cref="ProvisionData"/> for plain data; for sealed data the header, each chunk record and the end, read
/// one at a time from the file (the host never holds more than one chunk, and never the key).</summary>
internal static class DataProvisioning
{
    public static IEnumerable<BoundaryMessage> Messages(string split, DataSource source)
    {
        switch (source)
        {
            case PlainDataSource plain:
                LabeledImages s = plain.Images;
                yield return new ProvisionData(split, tensor(s.Pixels, [s.Count, s.Channels, s.Rows, s.Cols]), tensor(s.Labels, [s.Count]));
                break;
            case SealedDataSource sealedSource:
                SealedDataFile file = SealedDataFile.Open(sealedSource.Path);
                yield return new ProvisionSealed(split, SealedPart.Header, 0, tensor(file.HeaderBytes.ToArray()));
                long index = 0;
                foreach (SealedChunk chunk in file.ReadChunks())
                    yield return new ProvisionSealed(split, SealedPart.Chunk, index++, tensor(chunk.Record.ToArray()));
                yield return new ProvisionSealed(split, SealedPart.End, index, empty(0, dtype: ScalarType.Byte));
                break;
            default:
                throw new ArgumentException($"Unknown data source {source.GetType().Name}.", nameof(source));
        }
    }
}
