using System.Diagnostics;
using System.Globalization;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Benchmarks;

/// <summary>
/// <c>boundary</c> mode (no BenchmarkDotNet): how fast a convolution-sized float32 tensor crosses the boundary, per
/// path, side by side in one run. For each size (<c>--sizes</c> in MB, default 1,16,100,411: a 411 MB tensor is the
/// VGG16 batch-32 residual [32, 64, 224, 224]) it times, interleaved over <c>--repeats</c> rounds (default 5, order
/// rotated each round so machine noise hits every path alike):
/// <list type="bullet">
/// <item><c>clone</c>: <c>tensor.clone()</c>, one memory copy: the floor of any path that hands the receiver its own copy;</item>
/// <item><c>copy</c>: a fresh tensor filled by one single-threaded <c>Span.CopyTo</c> (no libtorch intra-op threads):
/// the same floor, immune to a busy core stalling libtorch's parallel copy;</item>
/// <item><c>codec</c>: <see cref="FrameCodec.Decode"/>(<see cref="FrameCodec.Encode"/>(message)), bytes in memory;</item>
/// <item><c>in-process</c>: <see cref="InProcessChannel"/> send then receive (what <c>SplitExecutor</c> uses);</item>
/// <item><c>socket</c>: <see cref="SocketChannel"/> endpoints over a Unix socket in this process, the sender on a
/// second thread, from the start of Send to the end of Receive (what the out-of-process executor uses).</item>
/// </list>
/// Each timed sample moves at least 64 MB (small tensors cross several times per sample). Prints a markdown table
/// of median MB/s (10⁶ tensor bytes per second) and the median time as a multiple of the clone time.
/// </summary>
public static class BoundaryThroughput
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    /// <summary>Tensor bytes moved per timed sample: a 1 MB tensor is timed over 64 crossings, so one stall of a
    /// shared machine does not decide its median.</summary>
    private const double SampleBytes = 64e6;

    /// <summary>Runs the measurement; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        int repeats = 5;
        double[] sizes = [1, 16, 100, 411];
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--repeats": repeats = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--sizes": sizes = [.. Next().Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))]; break;
                default: Console.Error.WriteLine($"unknown switch {a}"); return 2;
            }
        }
        if (repeats < 1 || sizes.Any(s => s <= 0))
        {
            Console.Error.WriteLine("--repeats must be at least 1 and every size positive.");
            return 2;
        }

        DirectoryInfo directory = Directory.CreateTempSubdirectory("asym-bench");
        try
        {
            string socketPath = Path.Combine(directory.FullName, "b.sock");
            using SocketChannelListener listener = SocketChannel.Listen(socketPath, BoundarySide.Host);
            Task<SocketChannelEndpoint> connecting = Task.Run(() => SocketChannel.Connect(socketPath, BoundarySide.Enclave, Wait));
            using SocketChannelEndpoint socketHost = listener.Accept(Wait);
            using SocketChannelEndpoint socketEnclave = connecting.Result;
            var (inHost, inEnclave) = InProcessChannel.CreatePair();
            using IBoundaryEndpoint inProcessHost = inHost, inProcessEnclave = inEnclave;

            Console.WriteLine("# Boundary throughput: one float32 tensor per message, enclave → host");
            Console.WriteLine();
            Console.WriteLine($"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, torch threads {get_num_threads()}, " +
                              $"{Environment.ProcessorCount} logical cores, median of {repeats} interleaved repeats, load average at start: {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine("| tensor | MB | clone MB/s | copy MB/s | codec MB/s | in-process MB/s | socket MB/s | codec ×clone | in-process ×clone | socket ×clone |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (double mb in sizes)
            {
                long[] shape = ShapeFor(mb);
                using Tensor residual = randn(shape);
                var message = new ConvForward("features.0", residual);
                var paths = new (string Name, Action Run)[]
                {
                    ("clone", () => residual.clone().Dispose()),
                    ("copy", () =>
                    {
                        using Tensor copy = empty(shape);
                        residual.bytes.CopyTo(copy.bytes);
                    }),
                    ("codec", () => FrameCodec.Decode(FrameCodec.Encode(message)).Dispose()),
                    ("in-process", () =>
                    {
                        inProcessEnclave.Send(message);
                        inProcessHost.Receive(Wait).Dispose();
                    }),
                    ("socket", () =>
                    {
                        Task send = Task.Run(() => socketEnclave.Send(message));
                        socketHost.Receive(Wait).Dispose();
                        send.Wait(Wait);
                    }),
                };
                double bytes = residual.numel() * 4.0;
                int batch = (int)Math.Max(1, Math.Ceiling(SampleBytes / bytes)); // small tensors: time a batch, not one call
                var seconds = paths.Select(_ => new List<double>()).ToArray();
                GC.Collect(); // the previous size's garbage; within a size each path pays for its own (a forced
                              // collection per sample would hand freed memory back and make every path fault it in again)
                for (int round = -1; round < repeats; round++) // round −1 warms up (page faults of first allocations, JIT)
                {
                    for (int j = 0; j < paths.Length; j++)
                    {
                        int p = (j + Math.Max(round, 0)) % paths.Length;
                        long start = Stopwatch.GetTimestamp();
                        for (int k = 0; k < batch; k++) paths[p].Run();
                        double s = Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
                        if (round >= 0) seconds[p].Add(s);
                    }
                }
                double[] median = [.. seconds.Select(Median)];
                string Rate(int p) => (bytes / 1e6 / median[p]).ToString("0", CultureInfo.InvariantCulture);
                string Ratio(int p) => (median[p] / median[0]).ToString("0.0", CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| [{string.Join(", ", shape)}] | {bytes / 1e6:0.#} | {Rate(0)} | {Rate(1)} | {Rate(2)} | {Rate(3)} | {Rate(4)} | {Ratio(2)} | {Ratio(3)} | {Ratio(4)} |"));
            }
            Console.WriteLine();
            Console.WriteLine($"Load average at end: {LoadAverage()}");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A convolution-like [32, C, H, H] shape of about <paramref name="mb"/> MB of float32.</summary>
    private static long[] ShapeFor(double mb) => mb switch
    {
        411 => [32, 64, 224, 224],
        100 => [32, 64, 112, 112],
        16 => [32, 128, 32, 32],
        1 => [32, 8, 32, 32],
        _ => [32, Math.Max(1, (long)Math.Round(mb * 1e6 / 4 / 32 / 1024)), 32, 32],
    };

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
