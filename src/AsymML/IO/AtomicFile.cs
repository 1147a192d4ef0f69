namespace AsymML.IO;

/// <summary>Writes a file so that readers see either the old content or the whole new one, never half of it:
/// the content goes to a temporary file in the same folder, which is then renamed over the target. The temporary
/// file's name carries the writer's process id: a writer killed mid-write leaves it behind, and the next write of
/// the same target removes it.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the target is
    /// untouched and the temporary file removed. <paramref name="mode"/> (Unix) is the new file's mode from its
    /// creation on, e.g. 0600 for plaintext only its owner may read; null gives the default (umask).</summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot write {path}: the folder {directory} does not exist.");
        string prefix = $".{Path.GetFileName(full)}.";
        StaleFiles.RemoveOrphans(directory, prefix, ".tmp");
        string temp = Path.Combine(directory, $"{StaleFiles.OwnedPrefix(prefix)}{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (mode is UnixFileMode m && !OperatingSystem.IsWindows()) options.UnixCreateMode = m;
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
