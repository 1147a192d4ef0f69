using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Session;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training;
using AsymML.Training.InProcess;
using TorchSharp;
using Xunit.Abstractions;

namespace AsymML.Tests.Execution;

/// <summary>The memory tests run alone: they read per-thread counters and time nothing, but they train 100 steps
/// per case and should not compete with the rest of the suite for the cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeMemoryCollection
{
    public const string Name = "native memory";
}

/// <summary>
/// Every tensor of a step has an owner: on each thread that makes tensors (the host's, which also runs the
/// accelerator, and the enclave's, in this process or in the enclave process), the number of live TorchSharp tensors
/// at the end of step 100 equals the number at the end of step 10, exactly. TorchSharp counts per thread (created there minus disposed there, finalizer-freed
/// tensors not subtracted), so one tensor left to the garbage collector per step fails the test.
/// </summary>
[Collection(NativeMemoryCollection.Name)]
public class NativeMemoryTests(ITestOutputHelper output)
{
    private const int Side = 28, Classes = 10, BatchSize = 8, Steps = 100, Compared = 10;

    [Theory]
    [InlineData(ExecutionMode.Asym)]
    [InlineData(ExecutionMode.TeeOnly)]
    public void InProcessStepsKeepLiveTensorsFlatOnEveryThread(ExecutionMode mode)
    {
        long before = HostLive(); // the test thread's count carries what earlier tests left on it
        using var executor = (SplitExecutor)Create(mode);
        // In process, the channel hands tensor copies from one thread to the other (see TensorsHandedOver).
        var enclave = new Counts("enclave thread");
        var accelerator = new Counts("accelerator (host thread, after each optimizer step)");
        var host = new Counts("host thread (after each step)");
        executor.Enclave.StepEnded = live => enclave.Add(live - InProcessChannel.TensorsHandedOver(executor.EnclaveEndpoint));
        executor.Accelerator.StepEnded = live => accelerator.Add(live - before - InProcessChannel.TensorsHandedOver(executor.HostEndpoint));
        Train(executor, () => host.Add(HostLive() - before - InProcessChannel.TensorsHandedOver(executor.HostEndpoint)));
        output.WriteLine($"tensors the host's thread made and the enclave's freed, net, after {Steps} steps: {InProcessChannel.TensorsHandedOver(executor.HostEndpoint)}");
        AssertFlat(enclave, accelerator, host);
    }

    [Theory]
    [InlineData(ExecutionMode.Asym)]
    [InlineData(ExecutionMode.TeeOnly)]
    public void OutOfProcessStepsKeepLiveTensorsFlatInBothProcesses(ExecutionMode mode)
    {
        using var directory = new TempDir();
        string log = directory.File("enclave-tensors.txt");
        NetworkSpec spec = Spec();
        using StateDict initial = StateDict.Initialize(spec, seed: 1);
        long before = HostLive();
        ExecutorOptions options = Options(mode, enclaveProcess: true);
        EnclaveSettings enclaveSettings = (mode == ExecutionMode.Asym
                ? EnclaveSettings.Split(spec, Side, Side, options.RankPolicy, options.NoiseRatio)
                : EnclaveSettings.TeeOnly(spec))
            with { Data = new PrivateDataOptions(null, options.Augmentation, options.AugmentationSeed) };
        var process = new EnclaveProcessOptions { Threads = 1, StartTimeout = TimeSpan.FromMinutes(2) }.WithTensorCountLog(log);
        var accelerator = new Counts("accelerator (host thread, after each optimizer step)");
        var host = new Counts("host thread (after each step)");
        var enclave = new Counts("enclave process");
        using (var executor = new OutOfProcessExecutor(enclaveSettings, initial, options.Optimizer, process: process))
        {
            executor.Accelerator.StepEnded = live => accelerator.Add(live - before);
            Train(executor, () => host.Add(HostLive() - before));
        } // the child exits and closes its log
        foreach (string line in File.ReadLines(log))
            enclave.Add(long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        AssertFlat(enclave, accelerator, host);
    }

    [Fact]
    public void UntrustedOnlyStepsKeepLiveTensorsFlat()
    {
        long before = HostLive();
        using IExecutor executor = Create(ExecutionMode.UntrustedOnly);
        var host = new Counts("host thread (after each step)");
        Train(executor, () => host.Add(HostLive() - before));
        AssertFlat(host);
    }

    private static long HostLive() => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    private static NetworkSpec Spec() => ModelZoo.Create(ModelZoo.SmallCnnName, 1, Classes, imageSize: Side);

    /// <summary>What the trainer would run small-cnn with, plus augmentation and (AsymML) a noise mask, so that every
    /// per-step path runs.</summary>
    private static ExecutorOptions Options(ExecutionMode mode, bool enclaveProcess) =>
        new(mode, new PaperRankPolicy(), new OptimizerSettings(LearningRate: 0.01),
            NoiseRatio: mode == ExecutionMode.Asym ? 0.1 : 0, Augmentation: new Augmentation(cropPadding: 2, horizontalFlip: true),
            AugmentationSeed: 3, EnclaveProcess: enclaveProcess, EnclaveThreads: enclaveProcess ? 1 : null);

    /// <summary>The executor the trainer would make (in this process, or untrusted-only).</summary>
    private static IExecutor Create(ExecutionMode mode)
    {
        NetworkSpec spec = Spec();
        using StateDict initial = StateDict.Initialize(spec, seed: 1);
        return Executors.Create(spec, (Side, Side), initial, Options(mode, enclaveProcess: false));
    }

    /// <summary>Provisions 64 synthetic images and runs <see cref="Steps"/> training steps on them as
    /// <see cref="PrivateTrainer"/> does (shuffled indices, a sequence number per step), calling
    /// <paramref name="afterStep"/> after each.</summary>
    private static void Train(IExecutor executor, Action afterStep)
    {
        const int count = 64;
        var random = new Random(2);
        var pixels = new byte[count * Side * Side];
        random.NextBytes(pixels);
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % Classes)).ToArray();
        Assert.Equal(count, executor.Provision(PrivateTrainer.TrainSplit, new PlainDataSource(new LabeledImages(pixels, labels, count, Side, Side))));
        long[] order = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        for (int step = 0; step < Steps; step++)
        {
            int first = step * BatchSize % count;
            if (first == 0) random.Shuffle(order);
            StepReport report = executor.TrainStep(PrivateTrainer.TrainSplit, order[first..(first + BatchSize)], step);
            Assert.True(double.IsFinite(report.Loss), $"step {step + 1}: loss {report.Loss}");
            afterStep();
        }
    }

    /// <summary>The live-tensor count of one thread at the end of each step (step 1 first).</summary>
    private sealed class Counts(string thread)
    {
        private readonly List<long> _counts = [];

        public void Add(long live)
        {
            lock (_counts) _counts.Add(live);
        }

        /// <summary>The problem with this thread's counts (written to <paramref name="output"/>), or null if every
        /// step from <see cref="Compared"/> on ended with the same count.</summary>
        public string? Problem(ITestOutputHelper output)
        {
            long[] counts;
            lock (_counts) counts = [.. _counts];
            if (counts.Length != Steps)
                return $"{thread}: {counts.Length} step ends reported, expected {Steps}";
            output.WriteLine($"{thread}: live tensors at step 1: {counts[0]}, step {Compared}: {counts[Compared - 1]}, step {Steps}: {counts[^1]}");
            int changed = Array.FindIndex(counts, Compared, c => c != counts[Compared - 1]);
            return changed < 0 ? null
                : $"{thread}: {counts[Compared - 1]} live tensors after step {Compared}, {counts[changed]} after step {changed + 1} and {counts[^1]} after step {Steps} ({(counts[^1] - counts[Compared - 1]) / (double)(Steps - Compared):+0.##;-0.##} per step)";
        }
    }

    /// <summary>Fails with every thread whose count moved, so that a leak shows where it is.</summary>
    private void AssertFlat(params Counts[] threads)
    {
        string[] problems = threads.Select(t => t.Problem(output)).OfType<string>().ToArray();
        if (problems.Length > 0) Assert.Fail(string.Join(Environment.NewLine, problems));
    }
}
