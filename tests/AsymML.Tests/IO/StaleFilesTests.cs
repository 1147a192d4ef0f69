using System.Diagnostics;
using AsymML.IO;

namespace AsymML.Tests.IO;

/// <summary>What a killed writer leaves behind is removed by the next run; what a running process owns is not.</summary>
public sealed class StaleFilesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A process id that no process has now: a child that has exited (its id is not reused this soon).</summary>
    internal static int DeadProcessId()
    {
        using Process child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        child.WaitForExit();
        return child.Id;
    }

    [Fact]
    public void AtomicWrite_RemovesTheTemporaryFilesOfAKilledWriter_AndKeepsALiveOne()
    {
        string target = _dir.File("checkpoint.state");
        string orphan = _dir.File($".checkpoint.state.{DeadProcessId()}-0123abcd.tmp");
        string live = _dir.File($".checkpoint.state.{Environment.ProcessId}-4567ef.tmp"); // this process: "still writing"
        string other = _dir.File($".other.state.{DeadProcessId()}-89.tmp"); // another target's: not this write's business
        foreach (string f in new[] { orphan, live, other }) File.WriteAllText(f, "half");

        AtomicFile.Write(target, s => s.Write("whole"u8));

        Assert.Equal("whole", File.ReadAllText(target));
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
        Assert.Equal(3, Directory.GetFiles(_dir.Path).Length); // no temporary file of this write is left
    }

    [Fact]
    public void OrphanFolders_OfDeadProcessesAreRemoved_NamesThatAreNotOursAreLeft()
    {
        string dead = Path.Combine(_dir.Path, $"asymml-enclave-{DeadProcessId()}-x1");
        string running = Path.Combine(_dir.Path, "asymml-enclave-1-x2"); // pid 1 always runs
        string unrelated = Path.Combine(_dir.Path, "asymml-enclave-notapid-x3");
        foreach (string d in new[] { dead, running, unrelated })
        {
            Directory.CreateDirectory(d);
            File.WriteAllText(Path.Combine(d, "settings.json"), "{}");
        }

        int removed = StaleFiles.RemoveOrphans(_dir.Path, "asymml-enclave-", folders: true);

        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(running));
        Assert.True(Directory.Exists(unrelated));
    }
}
