using AsymML.Accelerator;
using AsymML.Decomposition;
using AsymML.Enclave;
using AsymML.Execution;
using AsymML.Network;
using Xunit.Abstractions;
using AsymML.Training.InProcess;
using AsymML.Boundary.Session;

namespace AsymML.Tests.Execution;

/// <summary>Every tensor of a step has an owner: 100 steps must not grow native memory.</summary>
[Collection(Cli.ConsoleCollection.Name)] // alone: other tests' allocations would blur the reading
public class NativeMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void HundredTrainingStepsKeepResidentMemoryFlat()
    {
        NetworkSpec spec = ModelZoo.Create("small-cnn", 1, 10, imageSize: 28);
        using StateDict initial = StateDict.Initialize(spec, seed: 1);
        using Tensor input = rand(8, 1, 28, 28);
        using Tensor labels = randint(0, 10, [8]);
        using var executor = new SplitExecutor(EnclaveSettings.Split(spec, 28, 28, new PaperRankPolicy()), initial, new OptimizerSettings());
        long atTen = 0;
        for (int step = 1; step <= 100; step++)
        {
            executor.TrainStep(input, labels);
            if (step == 10) atTen = ResidentBytes();
        }
        long atHundred = ResidentBytes();
        output.WriteLine($"RSS after step 10: {atTen / 1048576.0:0.0} MiB, after step 100: {atHundred / 1048576.0:0.0} MiB");
        // A leak of one batch's activations per step would add > 100 MiB over 90 steps.
        Assert.True(atHundred - atTen < 40L * 1048576, $"RSS grew by {(atHundred - atTen) / 1048576.0:0.0} MiB between steps 10 and 100");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
