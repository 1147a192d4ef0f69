using AsymML.Optimization;
using System.Diagnostics;
using AsymML.Accelerator;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;
using AsymML.Decomposition;
using AsymML.Enclave;
using AsymML.Execution;
using AsymML.Network;
using Xunit.Abstractions;
using AsymML.Boundary.Session;

namespace AsymML.Tests.Execution;

/// <summary>The enclave runtime in its own process: exact like the in-process split, private files cleaned up, and a
/// dead or failing enclave process reported as such (with its exit code and stderr) instead of a hang.</summary>
public class OutOfProcessExecutorTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    /// <summary>Bounds waits that should succeed, generous for a loaded machine: what the kill test checks is that
    /// the step ends with the diagnosis of a dead process (a missed death would end only after the step loop's 10-minute
    /// silence, saying the enclave stopped answering), not how fast.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [Fact]
    public void TrainingEqualsPlainTrainingAndCleansUp()
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = TestNetworks.HandBuilt();
        using StateDict initial = InFloat64(StateDict.Initialize(spec, seed: 7));
        using var g = new Generator(11);
        Tensor input = randn([4, 3, 12, 10], dtype: ScalarType.Float64, generator: g);
        Tensor labels = randint(0, 5, [4], generator: g);
        var optimizer = new OptimizerSettings(LearningRate: 0.05, Momentum: 0.9);
        EnclaveSettings settings = EnclaveSettings.Split(spec, 12, 10, RankPolicy.Parse("fixed:2"));
        Assert.Contains(settings.Ranks.Values, r => r.Split);

        // A host killed before its child connected left its private folder (settings file included): the next start removes it.
        string orphan = Path.Combine(Path.GetTempPath(), $"asymml-enclave-{AsymML.Tests.IO.StaleFilesTests.DeadProcessId()}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(orphan);
        File.WriteAllText(Path.Combine(orphan, "settings.json"), "{}");

        string? settingsFile = null;
        UnixFileMode directoryMode = default;
        var options = new EnclaveProcessOptions
        {
            Threads = 1,
            StartTimeout = Generous,
            BeforeStart = path =>
            {
                settingsFile = path;
                if (!OperatingSystem.IsWindows())
                    directoryMode = File.GetUnixFileMode(Path.GetDirectoryName(path)!);
            },
        };
        var clock = Stopwatch.StartNew();
        using var plain = new UntrustedOnlyExecutor(spec, initial, optimizer);
        using var split = new OutOfProcessExecutor(settings, initial, optimizer, process: options);
        output.WriteLine($"started and connected in {clock.Elapsed.TotalSeconds:0.00} s");

        // The settings went through a private directory, which is gone once the child has connected.
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, directoryMode);
        Assert.False(File.Exists(settingsFile));
        Assert.False(Directory.Exists(Path.GetDirectoryName(settingsFile)));
        Assert.False(Directory.Exists(orphan));
        Assert.Equal(ExecutionMode.Asym, split.Mode);
        using (Process child = Process.GetProcessById(split.EnclaveProcessId))
            Assert.False(child.HasExited);

        for (int step = 0; step < 3; step++)
        {
            StepReport p = plain.TrainStep(input, labels);
            StepReport s = split.TrainStep(input, labels);
            output.WriteLine($"step {step}: loss plain {p.Loss:0.000000} out-of-process {s.Loss:0.000000}; wall {s.Timings.Wall:0.000} s, {s.Timings.BoundaryBytes:N0} bytes crossed");
            Assert.Equal(p.Loss, s.Loss, Tolerance);
            Assert.Equal(p.Correct, s.Correct);
            Assert.True(s.Timings.BoundaryBytes > 0);
        }
        // The weights the enclave gave the host's accelerator (the split convolutions') equal plain training's; the
        // enclave process holds the rest and steps the optimizer.
        using (StateDict a = plain.ExportState(), b = split.PublicWeights())
        {
            Assert.Equal(settings.Ranks.Where(r => r.Value.Split).Select(r => r.Key + ".weight").Order(), b.Names.Order());
            Assert.NotEmpty(b.Names);
            foreach (string n in b.Names)
                AssertClose(a[n], b[n], $"weight {n} after 3 steps");
        }
        // The full state, BatchNorm running statistics included, comes back from the enclave process on request.
        using (StateDict a = plain.ExportState(), b = split.ExportState())
        {
            Assert.Equal(a.Names.Order(), b.Names.Order());
            foreach (string n in a.Names)
                AssertClose(a[n], b[n], $"state {n} after 3 steps");
        }
        // Inference after training uses the enclave's running statistics: equal to plain's.
        Assert.Equal(plain.Infer(input, labels).Loss, split.Infer(input, labels).Loss, Tolerance);
        output.WriteLine($"total {clock.Elapsed.TotalSeconds:0.00} s");

        split.Dispose();
        Assert.Equal(0, split.EnclaveExitCode); // the child left by itself, cleanly, when the host closed
    }

    [Fact]
    public void KillingTheEnclaveProcessMidStepEndsTheStepWithAClearError()
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = ModelZoo.Create("resnet18-cifar", 3, 10, imageSize: 32);
        using StateDict initial = StateDict.Initialize(spec, seed: 1);
        using var g = new Generator(2);
        Tensor input = randn([8, 3, 32, 32], generator: g);
        Tensor labels = randint(0, 10, [8], generator: g);
        EnclaveSettings settings = EnclaveSettings.Split(spec, 32, 32, new PaperRankPolicy());
        using var transcript = new BoundaryTranscript();
        var clock = Stopwatch.StartNew();
        using var executor = new OutOfProcessExecutor(settings, initial, new OptimizerSettings(), transcript: transcript,
            process: new EnclaveProcessOptions { StartTimeout = Generous });
        output.WriteLine($"started and connected in {clock.Elapsed.TotalSeconds:0.00} s");

        using Process enclave = Process.GetProcessById(executor.EnclaveProcessId);
        Task<StepReport> step = Task.Run(() => executor.TrainStep(input, labels));
        // Kill once the enclave is computing (its first residual has crossed), not while it is still loading TorchSharp.
        // The transcript records it as the host receives it: the enclave is then in the middle of the step.
        Assert.True(transcript.WaitFor(e => e.Kind == MessageKind.ConvForward, () => step.IsCompleted, Generous) || step.IsCompleted, "no residual crossed");
        output.WriteLine($"first residual crossed at {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.False(step.IsCompleted, "the step finished before the kill");
        enclave.Kill();
        var sinceKill = Stopwatch.StartNew();
        Assert.True(((IAsyncResult)step).AsyncWaitHandle.WaitOne(Generous), $"the step still runs {Generous.TotalSeconds:0} s after the enclave process was killed");
        output.WriteLine($"kill → error: {sinceKill.Elapsed.TotalMilliseconds:0} ms");
        var e = Assert.IsType<ExecutionException>(step.Exception?.InnerException);
        output.WriteLine(e.Message);
        Assert.Contains("enclave process died", e.Message);
        Assert.Contains("exit code 137", e.Message);

        // Later steps fail with the same diagnosis (no new wait for an answer that cannot come).
        Task<StepReport> later = Task.Run(() => executor.TrainStep(input, labels));
        Assert.True(((IAsyncResult)later).AsyncWaitHandle.WaitOne(Generous), "a step after the death hangs");
        Assert.Contains("enclave process died", Assert.IsType<ExecutionException>(later.Exception?.InnerException).Message);
    }

    [Fact]
    public void AStoppedEnclaveProcessEndsTheStepWithAClearErrorAfterTheLimit()
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = TestNetworks.HandBuilt();
        using StateDict initial = StateDict.Initialize(spec, seed: 3);
        using var g = new Generator(4);
        Tensor input = randn([4, 3, 12, 10], generator: g);
        Tensor labels = randint(0, 5, [4], generator: g);
        using var executor = new OutOfProcessExecutor(EnclaveSettings.Split(spec, 12, 10, RankPolicy.Parse("fixed:2")), initial, new OptimizerSettings(),
            process: new EnclaveProcessOptions { StartTimeout = Generous, StoppedLimit = TimeSpan.FromSeconds(2) });
        executor.TrainStep(input, labels);
        int pid = executor.EnclaveProcessId;
        Signal("STOP", pid);
        try
        {
            var e = Assert.Throws<ExecutionException>(() => executor.TrainStep(input, labels));
            output.WriteLine(e.Message);
            Assert.Contains($"Step 2: the enclave process {pid} has been stopped", e.Message);
            Assert.Contains($"kill -CONT {pid}", e.Message);
        }
        finally
        {
            Signal("CONT", pid);
        }
    }

    private static void Signal(string signal, int pid)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("corrupt", "not valid JSON")]
    [InlineData("wrong", "$.spec.layers[0].kind: unknown layer kind 'Conv9d'")]
    public void ABadSettingsFileMakesTheChildExitAndTheHostSaySo(string damage, string expected)
    {
        NetworkSpec spec = TestNetworks.HandBuilt();
        using StateDict initial = StateDict.Initialize(spec, seed: 3);
        string? settingsFile = null;
        var options = new EnclaveProcessOptions
        {
            BeforeStart = path =>
            {
                settingsFile = path;
                switch (damage)
                {
                    case "missing":
                        File.Delete(path);
                        break;
                    case "corrupt":
                        File.WriteAllText(path, "{ \"format\": \"asymml-enclave-settings/1\", \"spec\": ");
                        break;
                    default:
                        File.WriteAllText(path, File.ReadAllText(path).Replace("\"Conv2d\"", "\"Conv9d\"", StringComparison.Ordinal));
                        break;
                }
            },
        };
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<ExecutionException>(() => new OutOfProcessExecutor(EnclaveSettings.TeeOnly(spec), initial, new OptimizerSettings(), process: options));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.00} s: {e.Message}");
        Assert.Contains("enclave process exited before it connected", e.Message);
        Assert.Contains("exit code 3", e.Message);
        Assert.Contains("asymml-enclave: cannot read the settings file", e.Message); // the child's stderr
        Assert.Contains(expected, e.Message);
        Assert.False(Directory.Exists(Path.GetDirectoryName(settingsFile)));
    }

    [Fact]
    public void TheEnclaveProcessRefusesANoiseSeedChosenByTheHost()
    {
        NetworkSpec spec = TestNetworks.HandBuilt();
        using StateDict initial = StateDict.Initialize(spec, seed: 3);
        EnclaveSettings chosen = EnclaveSettings.Split(spec, 12, 10, new FixedRankPolicy(2), noiseRatio: 0.5, noiseSeed: 7);

        var e = Assert.Throws<ExecutionException>(() => new OutOfProcessExecutor(chosen, initial, new OptimizerSettings()));

        Assert.Contains("exit code 3", e.Message);
        Assert.Contains("the settings file chooses the noise seed; the enclave draws it itself", e.Message);
    }

    [Fact]
    public void SettingsFileRoundTripsExactly()
    {
        NetworkSpec spec = ModelZoo.Create("resnet18-cifar", 3, 10, imageSize: 32);
        EnclaveSettings split = EnclaveSettings.Split(spec, 32, 32, new PaperRankPolicy(), noiseRatio: 0.1 + 0.2, noiseSeed: long.MinValue);
        var settings = new EnclaveLaunchSettings(
            split with
            {
                Method = SplitMethod.Lightweight, MaxIterations = 3, ReplyTimeout = TimeSpan.FromTicks(123_456_789), MemoryBudgetBytes = 123_456_789_012,
                Data = new PrivateDataOptions("/owner/key.bin", new AsymML.Data.Augmentation(cropPadding: 3, horizontalFlip: true), -42),
                Verify = new VerificationSettings(0.25, 1.0 / 2048),
                Mask = new MaskingSettings(5, 0.1 + 0.2, Seed: -7),
            }, Threads: 2);
        var back = EnclaveLaunchSettings.FromJson(settings.ToJson());
        Assert.Equal(spec, back.Enclave.Spec);
        Assert.Equal(settings.Enclave.Ranks.OrderBy(r => r.Key), back.Enclave.Ranks.OrderBy(r => r.Key));
        Assert.Equal(settings.Enclave with { Spec = spec, Ranks = back.Enclave.Ranks }, back.Enclave with { Spec = spec });
        Assert.Equal(2, back.Threads);

        var defaults = new EnclaveLaunchSettings(EnclaveSettings.TeeOnly(spec));
        var read = EnclaveLaunchSettings.FromJson(defaults.ToJson());
        Assert.Null(read.Threads);
        Assert.Null(read.Enclave.NoiseSeed);
        Assert.Null(read.Enclave.ReplyTimeout);
        Assert.Null(read.Enclave.MemoryBudgetBytes);
        Assert.Null(read.Enclave.Data);
        Assert.Null(read.Enclave.Verify);
        Assert.Null(read.Enclave.Mask);
        Assert.Empty(read.Enclave.Ranks);
    }

    private static StateDict InFloat64(StateDict state)
    {
        using (state)
            return new StateDict(state.Names.Select(n => new KeyValuePair<string, Tensor>(n,
                state[n].dtype == ScalarType.Float32 ? state[n].to(ScalarType.Float64) : state[n].clone())));
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(expected.abs().max().ToDouble(), 1e-6);
        double error = (expected - actual).abs().max().ToDouble() / scale;
        Assert.True(error <= Tolerance, $"{what}: max relative error {error:E2}");
    }
}
