using AsymML.Boundary.Session;

namespace AsymML.Execution;

/// <summary>
/// How <see cref="OutOfProcessExecutor"/> starts the enclave process (<c>AsymML.EnclaveProcess</c>). The child inherits
/// this process's environment plus <see cref="Environment"/>; <see cref="WithJemalloc"/> adds the allocator settings
/// that make TorchSharp's large allocations much cheaper (they must be set before a process starts, which is why
/// they are an option here).
/// </summary>
public sealed record EnclaveProcessOptions
{
    /// <summary>TorchSharp intra-op threads of the enclave process (<c>torch.set_num_threads</c>); null keeps
    /// TorchSharp's default, the core count.</summary>
    public int? Threads { get; init; }

    /// <summary>Variables to set in the child's environment on top of the inherited ones; a null value removes the
    /// variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long the child may take to start and connect to the host's socket (default 30 s).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the child may stay stopped (SIGSTOP, a debugger, a shell's job control) while the host waits
    /// for it before the step fails saying so (default 30 s; Linux only: read from <c>/proc/pid/stat</c>).</summary>
    public TimeSpan StoppedLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>dotnet</c> executable that runs the child; null uses the one running this process
    /// (or <c>DOTNET_HOST_PATH</c>, or the runtime's install directory).</summary>
    public string? DotnetPath { get; init; }

    /// <summary>Path of <c>AsymML.EnclaveProcess.dll</c> (with its <c>.runtimeconfig.json</c> and <c>.deps.json</c>
    /// beside it); null uses the copy that the build places next to <c>AsymML.Execution.dll</c>.</summary>
    public string? HostAssemblyPath { get; init; }

    /// <summary>Tests only: called with the settings file's path after the host wrote it and before the child starts
    /// (to damage or remove it).</summary>
    internal Action<string>? BeforeStart { get; init; }

    /// <summary>The allocator settings of notes/torchsharp.md: <c>MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1</c>
    /// and jemalloc in <c>LD_PRELOAD</c> (in front of what the environment already preloads).</summary>
    /// <param name="library">Path of <c>libjemalloc.so.2</c>; null looks in the usual library directories.</param>
    /// <exception cref="FileNotFoundException">No jemalloc library was found (Debian: <c>apt-get install libjemalloc2</c>).</exception>
    public EnclaveProcessOptions WithJemalloc(string? library = null)
    {
        string path = library ?? FindJemalloc()
            ?? throw new FileNotFoundException("jemalloc (libjemalloc.so.2) was not found in /usr/lib, /usr/lib64 or /usr/local/lib; install it (Debian: apt-get install libjemalloc2) or pass its path.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"The jemalloc library {path} does not exist.", path);
        string? preload = Environment.TryGetValue("LD_PRELOAD", out string? set) ? set : System.Environment.GetEnvironmentVariable("LD_PRELOAD");
        var environment = new Dictionary<string, string?>(Environment, StringComparer.Ordinal)
        {
            ["LD_PRELOAD"] = string.IsNullOrWhiteSpace(preload) ? path : $"{path}:{preload}",
            ["MALLOC_CONF"] = "dirty_decay_ms:-1,muzzy_decay_ms:-1",
        };
        return this with { Environment = environment };
    }

    /// <summary>Diagnostics: the enclave process appends "<c>step live</c>" to <paramref name="path"/> after each
    /// step, its thread's live TorchSharp tensors (see <see cref="EnclaveLaunchSettings.TensorCountLogVariable"/>).</summary>
    public EnclaveProcessOptions WithTensorCountLog(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return this with
        {
            Environment = new Dictionary<string, string?>(Environment, StringComparer.Ordinal) { [EnclaveLaunchSettings.TensorCountLogVariable] = Path.GetFullPath(path) },
        };
    }

    private static string? FindJemalloc()
    {
        string[] directories =
        [
            "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib",
            "/opt/homebrew/lib",
        ];
        return directories.Select(d => Path.Combine(d, "libjemalloc.so.2")).FirstOrDefault(File.Exists);
    }
}
