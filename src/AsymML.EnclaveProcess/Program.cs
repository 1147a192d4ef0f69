using AsymML.Boundary.Channels;
using AsymML.Enclave;
using AsymML.Boundary.Session;

namespace AsymML.EnclaveProcess;

/// <summary>
/// <c>AsymML.EnclaveProcess --socket PATH --settings FILE</c>: reads the settings file the host wrote
/// (<see cref="EnclaveLaunchSettings"/>), connects to the host's Unix socket as the enclave side and serves the enclave
/// runtime until the host closes the connection. Exit codes: 0 the host closed the connection (a clean end), 1 the
/// enclave failed (reported to the host and on stderr), 2 bad arguments, 3 unreadable settings, 4 no connection.
/// Every failure is one line on stderr starting with <c>asymml-enclave:</c>.
/// </summary>
internal static class Program
{
    /// <summary>Clean end: the host closed the connection.</summary>
    public const int ExitClean = 0;

    /// <summary>The enclave runtime failed.</summary>
    public const int ExitFailed = 1;

    /// <summary>The command line is wrong.</summary>
    public const int ExitUsage = 2;

    /// <summary>The settings file is missing or invalid.</summary>
    public const int ExitSettings = 3;

    /// <summary>The host's socket could not be reached.</summary>
    public const int ExitConnect = 4;

    private const string Usage = "usage: AsymML.EnclaveProcess --socket <unix socket path> --settings <settings json> [--connect-timeout <seconds>]";

    public static int Main(string[] args)
    {
        if (!TryParse(args, out string? socket, out string? settingsPath, out TimeSpan connectTimeout, out string? problem))
            return Fail(ExitUsage, $"{problem}. {Usage}");

        EnclaveLaunchSettings settings;
        try
        {
            settings = EnclaveLaunchSettings.Read(settingsPath!);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return Fail(ExitSettings, $"cannot read the settings file: {e.Message}");
        }

        // The settings file is the host's: a noise seed in it would let the host regenerate and remove the mask.
        if (settings.Enclave.NoiseSeed is not null)
            return Fail(ExitSettings, "the settings file chooses the noise seed; the enclave draws it itself (a fixed seed is for in-process tests only)");

        try
        {
            if (settings.Threads is int threads)
                TorchSharp.torch.set_num_threads(threads);

            SocketChannelEndpoint endpoint;
            try
            {
                endpoint = SocketChannel.Connect(socket!, BoundarySide.Enclave, connectTimeout);
            }
            catch (Exception e) when (e is TimeoutException or IOException or ArgumentException)
            {
                return Fail(ExitConnect, $"cannot connect to the host: {e.Message}");
            }

            var observed = new ObservedEndpoint(endpoint);
            using (observed)
            using (var runtime = new EnclaveRuntime(observed, settings.Enclave))
            using (StreamWriter? log = TensorCountLog())
            {
                long step = 0;
                if (log is not null) runtime.StepEnded = live => log.WriteLine($"{++step} {live}");
                runtime.Serve();
            }
            return observed.ReportedError is string error ? Fail(ExitFailed, $"the enclave stopped: {error}") : ExitClean;
        }
        catch (Exception e)
        {
            return Fail(ExitFailed, $"the enclave failed: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The file named by <see cref="EnclaveLaunchSettings.TensorCountLogVariable"/>, opened for appending
    /// (flushed per line, so that the host can read it during the run); null when the variable is not set.</summary>
    private static StreamWriter? TensorCountLog() =>
        Environment.GetEnvironmentVariable(EnclaveLaunchSettings.TensorCountLogVariable) is { Length: > 0 } path
            ? new StreamWriter(path, append: true) { AutoFlush = true }
            : null;

    private static bool TryParse(string[] args, out string? socket, out string? settings, out TimeSpan connectTimeout, out string? problem)
    {
        (socket, settings, connectTimeout, problem) = (null, null, TimeSpan.FromSeconds(30), null);
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length)
            {
                problem = $"{name} needs a value";
                return false;
            }
            string value = args[++i];
            switch (name)
            {
                case "--socket":
                    socket = value;
                    break;
                case "--settings":
                    settings = value;
                    break;
                case "--connect-timeout":
                    if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
                        || !(seconds > 0) || double.IsInfinity(seconds))
                    {
                        problem = $"--connect-timeout must be a positive number of seconds, not '{value}'";
                        return false;
                    }
                    connectTimeout = TimeSpan.FromSeconds(seconds);
                    break;
                default:
                    problem = $"unknown argument '{name}'";
                    return false;
            }
        }
        problem = socket is null ? "--socket is missing" : settings is null ? "--settings is missing" : null;
        return problem is null;
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"asymml-enclave: {message}");
        Console.Error.Flush();
        return code;
    }
}
