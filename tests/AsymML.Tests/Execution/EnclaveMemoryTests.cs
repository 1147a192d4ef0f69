using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Decomposition;
using AsymML.Enclave;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training.InProcess;
using AsymML.Boundary.Session;

namespace AsymML.Tests.Execution;

/// <summary>The enclave's ledger counts what a step keeps, by shape, and a budget stops a step at the layer that breaks it.</summary>
public class EnclaveMemoryTests
{
    private const int Batch = 4;

    [Fact]
    public void TrainingStepPeakIsModelBatchActivationsFactorsAndGradients()
    {
        NetworkSpec spec = TestNetworks.HandBuilt();
        EnclaveSettings settings = EnclaveSettings.Split(spec, 12, 10, new FixedRankPolicy(2));
        using StateDict initial = StateDict.Initialize(spec, seed: 3);
        using Tensor input = rand(Batch, 3, 12, 10);
        using Tensor labels = randint(0, 5, [Batch]);
        using var executor = new SplitExecutor(settings, initial, new OptimizerSettings());

        StepReport train = executor.TrainStep(input, labels);
        StepReport infer = executor.Infer(input, labels);

        // Expected from the spec alone: float32 everywhere; labels and BatchNorm's num_batches_tracked int64.
        long model = ModelBytes(spec);
        long gradients = spec.Parameters.Where(p => !p.IsBuffer).Sum(p => p.ElementCount) * 4;
        long batch = input.NumberOfElements * 4 + Batch * 8;
        IReadOnlyList<LayerShape> shapes = spec.InferShapes(12, 10);
        long activations = shapes.Where(s => s.Layer is not FlattenLayer).Sum(s => Batch * s.Output.ElementCount * 4);
        long factors = shapes.Where(s => settings.Ranks.GetValueOrDefault(s.Layer.Path) is { Split: true })
            .Sum(s => Batch * 2L * (s.Input.Channels + s.Input.Height * s.Input.Width) * 4);
        Assert.True(factors > 0, "the test must split at least one convolution");
        // The enclave's update: the residuals kept for the dW_U check, each dW_U, and SGD's momentum (default 0.9).
        long residuals = shapes.Where(s => settings.Ranks.GetValueOrDefault(s.Layer.Path) is { Split: true })
            .Sum(s => Batch * s.Input.ElementCount * 4);
        long untrusted = spec.Parameters.Where(p => settings.Ranks.GetValueOrDefault(p.Name[..p.Name.LastIndexOf('.')]) is { Split: true } && p.Name.EndsWith(".weight", StringComparison.Ordinal))
            .Sum(p => p.ElementCount * 4);
        long momentum = gradients;
        Assert.Equal(model + batch + activations + factors + gradients + residuals + untrusted + momentum, train.EnclavePeakBytes);

        // Inference keeps at most two outputs alive: the largest adjacent pair.
        long[] outputs = shapes.Where(s => s.Layer is not FlattenLayer).Select(s => Batch * s.Output.ElementCount * 4).ToArray();
        long pair = outputs.Zip(outputs.Skip(1), (a, b) => a + b).Max();
        // The optimizer's momentum stays resident in the enclave after the training step.
        Assert.InRange(infer.EnclavePeakBytes, model + momentum + batch + outputs.Max(), model + momentum + batch + pair);
    }

    [Fact]
    public void BudgetBelowAStepStopsItWithAnErrorNamingTheLayer()
    {
        NetworkSpec spec = TestNetworks.HandBuilt();
        using StateDict initial = StateDict.Initialize(spec, seed: 3);
        long model = ModelBytes(spec);
        long batch = Batch * 3 * 12 * 10 * 4 + Batch * 8;
        long firstConvOutput = Batch * 8 * 6 * 5 * 4;
        // Room for the model, the batch and the first convolution's output, but not the BatchNorm after it.
        EnclaveSettings settings = EnclaveSettings.TeeOnly(spec) with { MemoryBudgetBytes = model + batch + firstConvOutput + 100 };
        using Tensor input = rand(Batch, 3, 12, 10);
        using Tensor labels = randint(0, 5, [Batch]);
        using var executor = new SplitExecutor(settings, initial, new OptimizerSettings());

        var e = Assert.Throws<ExecutionException>(() => executor.TrainStep(input, labels));
        Assert.Contains("budget", e.Message);
        Assert.Contains("'1'", e.Message); // the BatchNorm at path "1"
    }

    private static long ModelBytes(NetworkSpec spec) =>
        spec.Parameters.Sum(p => p.ElementCount * (p.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal) ? 8 : 4));
}
