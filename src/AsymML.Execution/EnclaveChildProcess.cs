using System.Diagnostics;
using System.Globalization;
using System.Text;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Session;
using AsymML.IO;

namespace AsymML.Execution;

/// <summary>
/// The enclave as a child process, seen from the host: a private temporary directory (mode 0700) holding the settings
/// file and the listening socket, the <c>AsymML.EnclaveProcess</c> process started with <c>dotnet exec</c>, the accepted
/// connection, and the tail of the child's stderr for error messages. The settings file and the directory are removed
/// as soon as the child has connected (it reads the file before connecting), or when starting fails.
/// </summary>
internal sealed class EnclaveChildProcess : IDisposable
{
    /// <summary>How long the host gives a child whose connection broke to finish dying before it reports the
    /// connection (not the process) as the problem.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(3);

    /// <summary>How long <see cref="Dispose"/> waits for the child to leave after the host closed the connection.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private const int StderrLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _stderr = new();
    private readonly ManualResetEventSlim _stderrClosed = new();
    private string? _directory;
    private readonly TimeSpan _stoppedLimit;
    private long? _stoppedSince; // Stopwatch timestamp of the first watch that saw the child stopped

    private EnclaveChildProcess(Process process, string directory, TimeSpan stoppedLimit)
    {
        _process = process;
        _directory = directory;
        _stoppedLimit = stoppedLimit;
    }

    /// <summary>The host's end of the connection (the caller disposes it to end the child).</summary>
    public SocketChannelEndpoint Endpoint { get; private set; } = null!;

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The child's exit code once <see cref="Dispose"/> saw it exit; null before, or if it had to be killed.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Writes the settings, starts the child and waits until it connects.</summary>
    /// <exception cref="ExecutionException">The child could not be started, exited before connecting (the message has
    /// its exit code and stderr) or did not connect within <see cref="EnclaveProcessOptions.StartTimeout"/>.</exception>
    public static EnclaveChildProcess Start(EnclaveLaunchSettings settings, EnclaveProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        if (options.StartTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.StartTimeout, "The enclave process's start timeout must be positive.");
        string hostAssembly = HostAssembly(options);
        string dotnet = Dotnet(options);
        string directory = PrivateDirectory();
        EnclaveChildProcess? started = null;
        try
        {
            string settingsPath = Path.Combine(directory, "settings.json");
            string socketPath = Path.Combine(directory, "enclave.sock");
            settings.Write(settingsPath);
            options.BeforeStart?.Invoke(settingsPath);
            using SocketChannelListener listener = SocketChannel.Listen(socketPath, BoundarySide.Host);
            var start = new ProcessStartInfo(dotnet)
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                RedirectStandardInput = false,
                CreateNoWindow = true,
            };
            foreach (string argument in (string[])["exec", hostAssembly, "--socket", socketPath, "--settings", settingsPath,
                         "--connect-timeout", options.StartTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)])
                start.ArgumentList.Add(argument);
            foreach (var (name, value) in options.Environment)
            {
                if (value is null) start.Environment.Remove(name);
                else start.Environment[name] = value;
            }
            var process = new Process { StartInfo = start };
            var child = new EnclaveChildProcess(process, directory, options.StoppedLimit);
            started = child;
            process.ErrorDataReceived += (_, e) => child.OnStderr(e.Data);
            process.OutputDataReceived += (_, _) => { }; // drained, not shown: the enclave host writes nothing there
            try
            {
                process.Start();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw new ExecutionException($"Could not start the enclave process ({dotnet} exec {hostAssembly}): {e.Message}", e);
            }
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            started.Endpoint = started.Accept(listener, options.StartTimeout);
            started.RemoveDirectory(); // the child read its settings before connecting; the socket file is gone
            return started;
        }
        catch
        {
            if (started is not null) started.Dispose();
            else TryDeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>The <see cref="HostStepLoop.EnclaveWatch"/> of this child: after an empty wait, an exception if it has
    /// exited or has been stopped for the options' <see cref="EnclaveProcessOptions.StoppedLimit"/>; after a broken
    /// connection, an exception with its exit code once it has died (null if it is still alive after
    /// <see cref="ExitGrace"/>, so that the loop reports the connection).</summary>
    public ExecutionException? Watch(long step, Exception? failure)
    {
        if (failure is not null)
            return _process.WaitForExit(ExitGrace) ? Died(step, failure) : null;
        if (_process.HasExited) return Died(step, null);
        if (!IsStopped())
        {
            _stoppedSince = null;
            return null;
        }
        _stoppedSince ??= Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_stoppedSince.Value) < _stoppedLimit) return null;
        string when = step > 0 ? $"Step {step}: the" : "The";
        return new ExecutionException($"{when} enclave process {Id} has been stopped (SIGSTOP, a debugger or a shell's job control) for {_stoppedLimit.TotalSeconds:0.#} s while the host waited for it; the host gives up. Resume it (kill -CONT {Id}) before the next run, or let the host end it.");
    }

    /// <summary>Whether the child is in state T (stopped) or t (traced), from <c>/proc/pid/stat</c>; false where that
    /// file does not exist.</summary>
    private bool IsStopped()
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            int end = stat.LastIndexOf(')'); // the command name may hold spaces and parentheses
            return end > 0 && end + 2 < stat.Length && stat[end + 2] is 'T' or 't';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The exception for a child that died during (or, at step 0, before) a step.</summary>
    public ExecutionException Died(long step, Exception? cause)
    {
        string when = step > 0 ? $"Step {step}: the" : "The";
        return new ExecutionException($"{when} enclave process died ({ExitDescription()}) while the host waited for it. {StderrDescription()}", cause);
    }

    /// <summary>The child's last stderr lines (up to <see cref="StderrLines"/>).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr) return string.Join(System.Environment.NewLine, _stderr);
        }
    }

    /// <summary>Waits for the child to leave (the host must have closed the connection first), kills it if it does
    /// not within 5 s, and removes the private directory if it is still there.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited && !_process.WaitForExit(ExitWait))
                _process.Kill(entireProcessTree: true);
            else
                ExitCode = _process.ExitCode;
            _process.WaitForExit(ExitWait);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Never started, or already gone.
        }
        _process.Dispose();
        RemoveDirectory();
        _stderrClosed.Dispose();
    }

    private SocketChannelEndpoint Accept(SocketChannelListener listener, TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        TimeSpan slice = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return listener.Accept(slice);
            }
            catch (TimeoutException)
            {
                if (_process.HasExited)
                    throw new ExecutionException($"The enclave process exited before it connected to the host ({ExitDescription()}). {StderrDescription()}");
                if (Stopwatch.GetElapsedTime(start) >= timeout)
                {
                    try
                    {
                        _process.Kill(entireProcessTree: true);
                    }
                    catch (InvalidOperationException)
                    {
                    }
                    throw new ExecutionException($"The enclave process (pid {_process.Id}) did not connect to the host within {timeout.TotalSeconds:0.#} s and was stopped. {StderrDescription()}");
                }
            }
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            _stderrClosed.Set();
            return;
        }
        lock (_stderr)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > StderrLines) _stderr.Dequeue();
        }
    }

    private string ExitDescription()
    {
        if (!_process.WaitForExit(ExitGrace))
            return $"pid {_process.Id}, still running";
        int code = _process.ExitCode;
        string signal = !OperatingSystem.IsWindows() && code > 128 && code < 128 + 65
            ? $" = killed by signal {code - 128}{SignalName(code - 128)}"
            : "";
        return $"pid {_process.Id}, exit code {code}{signal}";
    }

    private string StderrDescription()
    {
        if (_process.HasExited)
            _stderrClosed.Wait(ExitGrace); // the pipe's last lines arrive after the exit
        string text = Stderr;
        return text.Length == 0 ? "It wrote nothing to stderr." : $"Its stderr: {text}";
    }

    private static string SignalName(int signal) => signal switch
    {
        2 => " (SIGINT)",
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };

    private void RemoveDirectory()
    {
        string? directory = Interlocked.Exchange(ref _directory, null);
        if (directory is not null) TryDeleteDirectory(directory);
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A new directory only this user can enter, short enough for the socket path in it.</summary>
    private static string PrivateDirectory()
    {
        // Named for this process: the folders of hosts that were killed (no cleanup ran) are removed here.
        const string Prefix = "asymml-enclave-";
        foreach (string root in new[] { Path.GetTempPath(), "/tmp" }.Distinct())
            StaleFiles.RemoveOrphans(root, Prefix, folders: true);
        DirectoryInfo directory = Directory.CreateTempSubdirectory(StaleFiles.OwnedPrefix(Prefix));
        if (Encoding.UTF8.GetByteCount(Path.Combine(directory.FullName, "enclave.sock")) > SocketChannel.MaxPathBytes && Directory.Exists("/tmp"))
        {
            // TMPDIR is too deep for a Unix socket path (108 bytes): fall back to /tmp.
            directory.Delete();
            string path = Path.Combine("/tmp", StaleFiles.OwnedPrefix(Prefix) + Guid.NewGuid().ToString("N")[..12]);
            directory = OperatingSystem.IsWindows()
                ? Directory.CreateDirectory(path)
                : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory.FullName;
    }

    /// <summary>The enclave process's assembly: found by file name beside this one (or the application), never by
    /// type, so the host side does not reference the enclave's code. It lands there through the build of whatever
    /// composes the application (AsymML.Training deploys it; no type of it is used).</summary>
    private static string HostAssembly(EnclaveProcessOptions options)
    {
        const string FileName = "AsymML.EnclaveProcess.dll";
        string path = options.HostAssemblyPath ?? Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path) && options.HostAssemblyPath is null
            && Path.GetDirectoryName(typeof(EnclaveChildProcess).Assembly.Location) is { Length: > 0 } beside)
            path = Path.Combine(beside, FileName);
        if (!File.Exists(path))
            throw new ExecutionException($"The enclave process {path} does not exist; build AsymML.EnclaveProcess (AsymML.Training deploys it) or set {nameof(EnclaveProcessOptions)}.{nameof(EnclaveProcessOptions.HostAssemblyPath)}.");
        string runtimeConfig = Path.ChangeExtension(path, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
            throw new ExecutionException($"The enclave process {path} has no {Path.GetFileName(runtimeConfig)} beside it, so dotnet cannot run it; use the build output of AsymML.EnclaveProcess.");
        return path;
    }

    private static string Dotnet(EnclaveProcessOptions options)
    {
        if (options.DotnetPath is not null)
            return options.DotnetPath;
        string muxer = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (System.Environment.ProcessPath is { } self && Path.GetFileName(self) == muxer)
            return self;
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
            return hostPath;
        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        string runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        string root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string candidate = Path.Combine(root, muxer);
        return File.Exists(candidate) ? candidate : muxer;
    }
}
