using AsymML.Build;

namespace AsymML.Tests.Build;

public class TorchSharpCompatTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void TorchSharpLoadsAndConvolves()
    {
        using var scope = NewDisposeScope();
        // 1 input channel of ones, a 3×3 kernel of ones, no padding: every output is 9.
        Tensor y = nn.functional.conv2d(ones(2, 1, 5, 5), ones(4, 1, 3, 3));
        Assert.Equal(new long[] { 2, 4, 3, 3 }, y.shape);
        Assert.True((y == 9).all().item<bool>());
    }

    [Fact]
    public void OutputCopyIsWeakWhereTheSystemLacksTheVersionAndTheCacheCopyIsUntouched()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"missing {output}");
        string system = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        bool systemHasIt = File.Exists(system) && ElfVersionNeedPatcher.DefinesVersion(system, Version);
        ElfPatchResult expected = systemHasIt ? ElfPatchResult.Patched : ElfPatchResult.AlreadyWeak;
        Assert.Equal(expected, PatchCopy(output));

        string cache = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (File.Exists(cache))
            Assert.Equal(ElfPatchResult.Patched, PatchCopy(cache)); // still strong in the cache
    }

    [Fact]
    public void PatchIsIdempotentAndChangesOnlyTheFlag()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string copy = Path.GetTempFileName();
        try
        {
            File.Copy(source, copy, overwrite: true);
            byte[] before = File.ReadAllBytes(copy);
            ElfVersionNeedPatcher.MarkVersionNeedWeak(copy, Version);
            Assert.Equal(ElfPatchResult.AlreadyWeak, ElfVersionNeedPatcher.MarkVersionNeedWeak(copy, Version));
            byte[] after = File.ReadAllBytes(copy);
            Assert.Equal(before.Length, after.Length);
            Assert.True(Enumerable.Range(0, before.Length).Count(i => before[i] != after[i]) <= 1);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void LibraryWithoutTheRequirementIsLeftAlone()
    {
        // libc itself does not require GLIBCXX versions.
        string libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
        Assert.True(File.Exists(libc));
        string copy = Path.GetTempFileName();
        try
        {
            File.Copy(libc, copy, overwrite: true);
            Assert.Equal(ElfPatchResult.NotRequired, ElfVersionNeedPatcher.MarkVersionNeedWeak(copy, Version));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void NonElfAndTruncatedFilesAreRefused()
    {
        string copy = Path.GetTempFileName();
        try
        {
            File.WriteAllText(copy, "not an elf file at all, just some text that is long enough to have a header........");
            Assert.Contains("not an ELF file", Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkVersionNeedWeak(copy, Version)).Message);
            byte[] head = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so")).AsSpan(0, 4096).ToArray();
            File.WriteAllBytes(copy, head);
            Assert.Contains("truncated ELF", Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.MarkVersionNeedWeak(copy, Version)).Message);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static ElfPatchResult PatchCopy(string path)
    {
        string copy = Path.GetTempFileName();
        try
        {
            File.Copy(path, copy, overwrite: true);
            return ElfVersionNeedPatcher.MarkVersionNeedWeak(copy, Version);
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
