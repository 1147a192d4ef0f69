using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training;

namespace AsymML.Tests.Training;

public class StepBenchmarkTests
{
    [Fact]
    public void MeasuresEachModeInOrderWithItsOwnTimeSplit()
    {
        var options = new StepBenchmarkOptions(ModelZoo.Create(ModelZoo.SmallCnnName, 1, 10, imageSize: 8), 8, 4, 2, 10,
            new ExecutorOptions(ExecutionMode.Asym, new FixedRankPolicy(1), new OptimizerSettings()));
        var started = new List<ExecutionMode>();

        IReadOnlyList<StepBenchmarkResult> results = StepBenchmark.Run(options, started.Add);

        ExecutionMode[] all = [ExecutionMode.Asym, ExecutionMode.TeeOnly, ExecutionMode.UntrustedOnly];
        Assert.Equal(all, started);
        Assert.Equal(all, results.Select(r => r.Mode));
        Assert.All(results, r => Assert.Equal(2, r.Steps.Count));
        Assert.All(results, r => Assert.True(r.Median.Wall > 0));
        StepTimings asym = results[0].Median, tee = results[1].Median, plain = results[2].Median;
        Assert.True(asym.BoundaryBytes > tee.BoundaryBytes, $"the split sends residuals: {asym.BoundaryBytes} vs {tee.BoundaryBytes} bytes");
        Assert.True(asym.Enclave > 0 && tee.Enclave > 0);
        Assert.Equal((0.0, 0L), (plain.Enclave, plain.BoundaryBytes)); // no enclave, nothing crosses
    }

    [Fact]
    public void MedianTakesEachFigureOnItsOwn()
    {
        StepTimings T(double wall, double enclave, long bytes) => new(wall, enclave, 0, 0, bytes);
        var odd = new StepBenchmarkResult(ExecutionMode.Asym, [T(3, 1, 10), T(1, 5, 30), T(2, 3, 20)]);
        var even = new StepBenchmarkResult(ExecutionMode.Asym, [T(4, 1, 10), T(1, 2, 40), T(2, 3, 20), T(3, 4, 30)]);

        Assert.Equal(T(2, 3, 20), odd.Median);
        Assert.Equal(T(2.5, 2.5, 25), even.Median);
    }

    [Fact]
    public void RefusesCountsOutOfRange()
    {
        var executor = new ExecutorOptions(ExecutionMode.Asym, new PaperRankPolicy(), new OptimizerSettings());
        NetworkSpec spec = ModelZoo.Create(ModelZoo.SmallCnnName, 1, 10, imageSize: 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => StepBenchmark.Run(new StepBenchmarkOptions(spec, 8, 1, 2, 10, executor)));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepBenchmark.Run(new StepBenchmarkOptions(spec, 8, 4, 0, 10, executor)));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepBenchmark.Run(new StepBenchmarkOptions(spec, 8, 4, 2, 1, executor)));
    }
}
