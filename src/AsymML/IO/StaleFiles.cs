using System.Diagnostics;
using System.Globalization;

namespace AsymML.IO;

/// <summary>
/// Names for temporary files and folders that carry the id of the process that made them, so that what a killed
/// process left behind (a SIGKILL runs no cleanup) can be told from what a running one still uses, and removed by
/// the next run.
/// </summary>
public static class StaleFiles
{
    /// <summary>"<paramref name="prefix"/><c>pid</c>-": the start of a name that marks this process as its owner.</summary>
    public static string OwnedPrefix(string prefix) => $"{prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-";

    /// <summary>Removes the files (or folders, with <paramref name="folders"/>) in <paramref name="directory"/> whose
    /// names start with <paramref name="prefix"/><c>pid</c>- and end with <paramref name="suffix"/>, where no process
    /// <c>pid</c> runs any more. Best effort: what cannot be removed stays.</summary>
    /// <returns>How many were removed.</returns>
    public static int RemoveOrphans(string directory, string prefix, string suffix = "", bool folders = false)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = (folders ? Directory.EnumerateDirectories(directory, prefix + "*") : Directory.EnumerateFiles(directory, prefix + "*")).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (string path in candidates)
        {
            string name = Path.GetFileName(path);
            if (!name.EndsWith(suffix, StringComparison.Ordinal)) continue;
            int dash = name.IndexOf('-', prefix.Length);
            if (dash < 0 || !int.TryParse(name.AsSpan(prefix.Length, dash - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (pid == Environment.ProcessId || IsRunning(pid)) continue;
            try
            {
                if (folders) Directory.Delete(path, recursive: true);
                else File.Delete(path);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
