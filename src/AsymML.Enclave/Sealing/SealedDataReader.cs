using AsymML.Data;

using AsymML.Sealing;

namespace AsymML.Enclave.Sealing;

/// <summary>
/// Reads a whole sealed data set into memory with the key (data owner and tests; the plaintext is in the caller's
/// process). Runs the host path (<see cref="SealedDataFile"/>) and the enclave path (<see cref="SealedChunkOpener"/>)
/// back to back, so it applies every check either side makes.
/// </summary>
public static class SealedDataReader
{
    /// <summary>Opens, checks and decrypts every chunk of <paramref name="path"/>.</summary>
    /// <param name="path">Sealed data file.</param>
    /// <param name="key">The key it was sealed with.</param>
    /// <returns>All samples in their original order, with class names when the file has them.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SealedDataException">Any check failed; <see cref="SealedDataException.Check"/> says which.</exception>
    public static LabeledImages ReadAll(string path, SealKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        SealedDataFile file = SealedDataFile.Open(path);
        using var opener = new SealedChunkOpener(key, file.HeaderBytes.Span, path);
        SealedHeader header = opener.Header;
        var pixels = new byte[(long)header.Count * header.PixelsPerImage];
        var labels = new byte[header.Count];
        long opened = 0;
        foreach (SealedChunk chunk in file.ReadChunks())
        {
            LabeledImages samples = opener.Open(opened, chunk.Record.Span);
            long first = opened * header.ChunkSize;
            samples.Labels.CopyTo(labels, first);
            samples.Pixels.CopyTo(pixels, first * header.PixelsPerImage);
            opened++;
        }
        opener.Complete(opened);
        return new LabeledImages(pixels, labels, header.Count, header.Channels, header.Rows, header.Cols, header.ClassNames);
    }
}
