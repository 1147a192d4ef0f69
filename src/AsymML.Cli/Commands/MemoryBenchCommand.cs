using AsymML.Optimization;
using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using AsymML.Accelerator;
using AsymML.Boundary.Session;
using AsymML.Cli.Rendering;
using AsymML.Data;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training;
using Spectre.Console;

namespace AsymML.Cli.Commands;

/// <summary>
/// <c>asymml bench memory</c>: trains small-cnn for many steps and samples the resident memory of this process (and of
/// the enclave process) with the live-tensor count and the heaps behind it, then fits a line to the samples after the
/// warm-up. A trend, not a test: resident memory depends on the allocator and on what else the machine runs.
/// </summary>
internal static class MemoryBenchCommand
{
    public static Command Create()
    {
        Option<int> steps = DataOptions.Positive("--steps", "Training steps.", 1000);
        Option<int> every = DataOptions.Positive("--every", "Sample every n steps.", 50);
        var warmUp = new Option<int>("--warm-up") { Description = "Steps before the fitted line starts (allocator and caches fill up).", DefaultValueFactory = _ => 300 };
        warmUp.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError($"--warm-up must not be negative; got {r.GetValueOrDefault<int>()}.");
        });
        Option<int> batch = DataOptions.Positive("--batch", "Batch size.", 32);
        var data = new Option<string>("--data")
        {
            Description = "synthetic (random 28×28 images), or a plain data set's training split: " + DataSetSpec.AcceptedForms,
            DefaultValueFactory = _ => "synthetic",
        };
        Option<int> samples = DataOptions.Positive("--samples", "Images of the training set (the first n; synthetic: how many to make).", 1024);
        Option<ExecutionMode> mode = ExecutionOptions.Mode();
        Option<Decomposition.RankPolicy> policy = ExecutionOptions.RankPolicy();
        var enclaveProcess = new Option<bool>("--enclave-process") { Description = "Run the enclave as its own process and sample its memory too." };
        var enclaveThreads = new Option<int?>("--enclave-threads") { Description = "Threads of the enclave process (implies --enclave-process)." };
        var json = OptionRules.Output(new Option<FileInfo?>("--json") { Description = "Also write the samples and slopes as JSON to this file." });
        var command = new Command("memory", "Resident memory over a long training run of small-cnn: samples and the slope after the warm-up, in MiB per 1,000 steps.")
        {
            steps, every, warmUp, batch, data, samples, mode, policy, enclaveProcess, enclaveThreads, json,
        };
        command.SetAction(result => Run(new Settings(result.GetValue(steps), result.GetValue(every), result.GetValue(warmUp),
            result.GetValue(batch), result.GetValue(data)!, result.GetValue(samples), result.GetValue(mode),
            result.GetValue(policy)!, result.GetValue(enclaveProcess) || result.GetValue(enclaveThreads) is not null,
            result.GetValue(enclaveThreads), result.GetValue(json))));
        return command;
    }

    private sealed record Settings(int Steps, int Every, int WarmUp, int Batch, string Data, int Samples, ExecutionMode Mode,
        Decomposition.RankPolicy Policy, bool EnclaveProcess, int? EnclaveThreads, FileInfo? Json);

    /// <summary>One sample after <paramref name="Step"/> steps. Live tensors: this thread's TorchSharp count (null with
    /// the enclave on a thread of this process: the in-process channel hands tensors from one thread's count to the
    /// other's) and the process's (tensors neither disposed nor finalized yet). GC heap: managed bytes in use. Malloc in
    /// use: glibc's allocated bytes, mmapped blocks included (null where mallinfo2 is missing).</summary>
    private sealed record Sample(int Step, double HostRssMiB, double? EnclaveRssMiB, long? HostThreadLiveTensors,
        long ProcessLiveTensors, long? EnclaveLiveTensors, double GcHeapMiB, double? MallocInUseMiB);

    private static int Run(Settings s)
    {
        if (s.EnclaveThreads is < 1)
            throw new UserErrorException($"--enclave-threads must be at least 1; got {s.EnclaveThreads}.", 1);
        if (s.EnclaveProcess && s.Mode == ExecutionMode.UntrustedOnly)
            throw new UserErrorException("--enclave-process: the untrusted-only mode has no enclave.", 1);
        if (s.WarmUp >= s.Steps)
            throw new UserErrorException($"--warm-up ({s.WarmUp}) must be below --steps ({s.Steps}): the line is fitted after it.", 1);
        LabeledImages images = s.Data == "synthetic" ? Synthetic(s.Samples) : DataOptions.Load(s.Data, FashionMnist.TrainSplit, s.Samples);
        if (images.Count < s.Batch)
            throw new UserErrorException($"The training set has {images.Count} images, fewer than one batch of {s.Batch}.", 1);
        if (images.Rows != images.Cols)
            throw new UserErrorException($"small-cnn needs square images; the data set's are {images.Rows}×{images.Cols}.", 1);
        int classes = Math.Max(2, images.ClassNames?.Count ?? images.Labels.Max() + 1);
        NetworkSpec spec = ModelZoo.Create(ModelZoo.SmallCnnName, images.Channels, classes, imageSize: images.Rows);
        var optimizer = new OptimizerSettings(OptimizerKind.Adam, LearningRate: 0.001);
        using StateDict initial = StateDict.Initialize(spec, seed: 1);
        // The enclave process is made here rather than by Executors.Create: it is asked to log its live tensors.
        string? tensorLog = s.EnclaveProcess ? Path.Combine(Path.GetTempPath(), $"asymml-enclave-tensors-{Guid.NewGuid():N}.txt") : null;
        using IExecutor executor = tensorLog is null
            ? Executors.Create(spec, (images.Rows, images.Cols), initial, new ExecutorOptions(s.Mode, s.Policy, optimizer))
            : new OutOfProcessExecutor(s.Mode == ExecutionMode.TeeOnly ? EnclaveSettings.TeeOnly(spec) : EnclaveSettings.Split(spec, images.Rows, images.Cols, s.Policy),
                initial, optimizer, process: new EnclaveProcessOptions { Threads = s.EnclaveThreads }.WithTensorCountLog(tensorLog));
        int? enclavePid = (executor as OutOfProcessExecutor)?.EnclaveProcessId;
        try
        {
            return Measure(s, executor, images, enclavePid, tensorLog);
        }
        finally
        {
            if (tensorLog is not null) File.Delete(tensorLog);
        }
    }

    private static int Measure(Settings s, IExecutor executor, LabeledImages images, int? enclavePid, string? tensorLog)
    {
        int count = executor.Provision(PrivateTrainer.TrainSplit, new PlainDataSource(images));
        string where = enclavePid is int pid ? $"enclave process {pid}" : s.Mode == ExecutionMode.UntrustedOnly ? "no enclave" : "enclave in this process";
        AnsiConsole.MarkupLineInterpolated($"[grey]{s.Mode}, {where}: {s.Steps} steps of small-cnn, batch {s.Batch}, on {count} {(s.Data == "synthetic" ? "synthetic" : s.Data)} images; a sample every {s.Every} steps…[/]");

        bool threadCount = s.EnclaveProcess || s.Mode == ExecutionMode.UntrustedOnly;
        var samples = new List<Sample> { Take(0, enclavePid, threadCount, tensorLog) };
        long[] order = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        int perEpoch = count / s.Batch; // whole batches only: the same work every step
        var random = new Random(1);
        for (int step = 0; step < s.Steps; step++)
        {
            int first = step % perEpoch * s.Batch;
            if (first == 0) random.Shuffle(order);
            executor.TrainStep(PrivateTrainer.TrainSplit, order[first..(first + s.Batch)], step);
            if ((step + 1) % s.Every == 0 || step + 1 == s.Steps)
                samples.Add(Take(step + 1, enclavePid, threadCount, tensorLog));
        }

        double hostSlope = Slope(samples, s.WarmUp, x => x.HostRssMiB);
        double? enclaveSlope = enclavePid is null ? null : Slope(samples, s.WarmUp, x => x.EnclaveRssMiB!.Value);
        double liveSlope = Slope(samples, s.WarmUp, x => x.HostThreadLiveTensors ?? x.ProcessLiveTensors);
        double? enclaveLiveSlope = samples[^1].EnclaveLiveTensors is null ? null : Slope(samples.Where(x => x.EnclaveLiveTensors is not null).ToList(), s.WarmUp, x => x.EnclaveLiveTensors!.Value);
        double? mallocSlope = samples[^1].MallocInUseMiB is null ? null : Slope(samples, s.WarmUp, x => x.MallocInUseMiB!.Value);
        double gcSlope = Slope(samples, s.WarmUp, x => x.GcHeapMiB);
        // RSS has transient spikes (a 60 MiB one at one sample tilts a least-squares line over 14 samples by tens of
        // MiB per 1,000 steps): the median of the pairwise slopes (Theil–Sen) is the figure that says "still growing".
        double hostMedianSlope = MedianSlope(samples, s.WarmUp, x => x.HostRssMiB);
        double? enclaveMedianSlope = enclavePid is null ? null : MedianSlope(samples, s.WarmUp, x => x.EnclaveRssMiB!.Value);

        var table = new Table().Title($"small-cnn, {s.Mode}, batch {s.Batch}, {where}")
            .AddColumns("step", "host RSS MiB", "enclave RSS MiB", "live tensors (host thread)", "live tensors (host process)", "live tensors (enclave process)", "GC heap MiB", "malloc in use MiB");
        foreach (Sample x in samples)
            table.AddRow(x.Step.ToString(CultureInfo.InvariantCulture), $"{x.HostRssMiB:0.0}", x.EnclaveRssMiB is double e ? $"{e:0.0}" : "-",
                x.HostThreadLiveTensors?.ToString(CultureInfo.InvariantCulture) ?? "-", x.ProcessLiveTensors.ToString(CultureInfo.InvariantCulture),
                x.EnclaveLiveTensors?.ToString(CultureInfo.InvariantCulture) ?? "-",
                $"{x.GcHeapMiB:0.0}", x.MallocInUseMiB is double m ? $"{m:0.0}" : "-");
        AnsiConsole.Write(table);
        string enclaveText = (enclaveSlope is double es ? $", enclave RSS {es:+0.0;-0.0} MiB (Theil–Sen {enclaveMedianSlope:+0.0;-0.0})" : "")
            + (enclaveLiveSlope is double el ? $", enclave live tensors {el:+0.0;-0.0}" : "");
        string mallocText = mallocSlope is double ms ? $"{ms:+0.0;-0.0} MiB" : "n/a";
        AnsiConsole.MarkupLineInterpolated($"Least-squares slope after step {s.WarmUp}, per 1,000 steps: host RSS {hostSlope:+0.0;-0.0} MiB (Theil–Sen {hostMedianSlope:+0.0;-0.0}){enclaveText}, host malloc in use {mallocText}, GC heap {gcSlope:+0.0;-0.0} MiB, live tensors ({(threadCount ? "thread" : "process")}) {liveSlope:+0.0;-0.0}.");
        if (s.Json is not null)
            JsonReport.Write(s.Json.FullName, new
            {
                model = ModelZoo.SmallCnnName, mode = s.Mode.ToString(), batch = s.Batch, data = s.Data, images = count, s.Steps, s.Every, warmUp = s.WarmUp,
                enclaveProcess = s.EnclaveProcess, s.EnclaveThreads, cores = Environment.ProcessorCount,
                slopesPerThousandSteps = new { hostRssMiB = hostSlope, hostRssMiBTheilSen = hostMedianSlope, enclaveRssMiB = enclaveSlope, enclaveRssMiBTheilSen = enclaveMedianSlope, hostMallocInUseMiB = mallocSlope, gcHeapMiB = gcSlope, liveTensors = liveSlope, liveTensorsOf = threadCount ? "host thread" : "process", enclaveLiveTensors = enclaveLiveSlope },
                samples,
            });
        return 0;
    }

    private static Sample Take(int step, int? enclavePid, bool threadCount, string? tensorLog) => new(step,
        ResidentMiB("/proc/self/status") ?? throw new UserErrorException("This process's resident memory is not readable (/proc/self/status: Linux only)."),
        enclavePid is int pid ? ResidentMiB($"/proc/{pid}/status") ?? throw new UserErrorException($"The enclave process {pid} is gone.") : null,
        threadCount ? TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount : null, TorchSharp.torch.Tensor.TotalCount,
        tensorLog is null ? null : LastLoggedCount(tensorLog),
        GC.GetTotalMemory(forceFullCollection: false) / 1048576.0, MallocInUseMiB());

    /// <summary>The count of the last line of the enclave's tensor log ("step live"; it has written the line before
    /// its step result, so the line of the step just done is there); null before the first step.</summary>
    private static long? LastLoggedCount(string path)
    {
        string? last = File.Exists(path) ? File.ReadLines(path).LastOrDefault(l => l.Length > 0) : null;
        return last is null ? null : long.Parse(last.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>VmRSS of a /proc/…/status file in MiB; null if the file or the line is missing.</summary>
    private static double? ResidentMiB(string statusFile)
    {
        try
        {
            string? line = File.ReadLines(statusFile).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Least-squares slope of <paramref name="value"/> over the step, per 1,000 steps, of the samples after
    /// <paramref name="warmUp"/> (at least two, the last sample included).</summary>
    private static double Slope(List<Sample> samples, int warmUp, Func<Sample, double> value)
    {
        List<Sample> fitted = samples.Where(x => x.Step >= warmUp).ToList();
        if (fitted.Count < 2) fitted = samples.TakeLast(2).ToList();
        double meanX = fitted.Average(x => (double)x.Step), meanY = fitted.Average(value);
        double sxy = fitted.Sum(x => (x.Step - meanX) * (value(x) - meanY)), sxx = fitted.Sum(x => (x.Step - meanX) * (x.Step - meanX));
        return sxx == 0 ? 0 : sxy / sxx * 1000;
    }

    /// <summary>Theil–Sen slope: the median of the slopes between every pair of samples after <paramref name="warmUp"/>,
    /// per 1,000 steps; a few outlying samples do not move it.</summary>
    private static double MedianSlope(List<Sample> samples, int warmUp, Func<Sample, double> value)
    {
        List<Sample> fitted = samples.Where(x => x.Step >= warmUp).ToList();
        if (fitted.Count < 2) fitted = samples.TakeLast(2).ToList();
        var slopes = new List<double>();
        for (int i = 0; i < fitted.Count; i++)
            for (int j = i + 1; j < fitted.Count; j++)
                if (fitted[j].Step != fitted[i].Step)
                    slopes.Add((value(fitted[j]) - value(fitted[i])) / (fitted[j].Step - fitted[i].Step) * 1000);
        if (slopes.Count == 0) return 0;
        slopes.Sort();
        int m = slopes.Count / 2;
        return slopes.Count % 2 == 1 ? slopes[m] : (slopes[m - 1] + slopes[m]) / 2;
    }

    /// <summary>Random 28×28 grayscale images with ten balanced labels (memory does not care what they show).</summary>
    private static LabeledImages Synthetic(int count)
    {
        var random = new Random(7);
        var pixels = new byte[count * 28 * 28];
        random.NextBytes(pixels);
        return new LabeledImages(pixels, Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray(), count, 28, 28);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 MallInfo2Native();

    /// <summary>glibc's bytes in use (small blocks in the arenas plus mmapped ones), all arenas; null without glibc 2.33+.
    /// Beside resident memory it tells freed-but-kept memory (allocator behaviour) from memory still allocated.</summary>
    private static double? MallocInUseMiB()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            MallInfo2 info = MallInfo2Native();
            return (info.UordBlks + info.HBlkHd) / 1048576.0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
