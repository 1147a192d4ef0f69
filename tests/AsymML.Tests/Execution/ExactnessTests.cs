using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Decomposition;
using AsymML.Enclave;
using AsymML.Execution;
using AsymML.Network;
using Xunit.Abstractions;
using AsymML.Training.InProcess;
using AsymML.Boundary.Session;

namespace AsymML.Tests.Execution;

/// <summary>With no noise the split is exact: logits, every gradient, and the weights and BatchNorm statistics after
/// SGD-momentum steps equal plain TorchSharp's on the same weights (the design's first invariant).</summary>
public class ExactnessTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, int, int, int, string> Networks() => new()
    {
        { "hand-built", 3, 12, 10, "fixed:2" },
        { "small-cnn", 1, 28, 28, "paper" },
        { "resnet18-cifar", 3, 32, 32, "paper" },
        { "resnet18", 3, 64, 64, "paper" }, // ImageNet stem: 7×7/2 convolution and 3×3/2 max-pool
        { "vgg16_bn-cifar", 3, 32, 32, "paper" },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void SplitTrainingEqualsPlainTraining(string name, int channels, int height, int width, string policy)
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = name == "hand-built" ? TestNetworks.HandBuilt() : ModelZoo.Create(name, channels, 10, imageSize: height);
        // Float64 end to end: float32 rounding differences (~1e-7) flip a few ReLU signs and max-pool choices in deep
        // networks, which makes single gradient entries differ by far more than rounding; in float64 none flip.
        using StateDict initial = InFloat64(StateDict.Initialize(spec, seed: 7));
        using var g = new Generator(11);
        Tensor input = randn([4, channels, height, width], dtype: ScalarType.Float64, generator: g);
        Tensor labels = randint(0, name == "hand-built" ? 5 : 10, [4], generator: g);
        var optimizer = new OptimizerSettings(LearningRate: 0.05, Momentum: 0.9);
        EnclaveSettings settings = EnclaveSettings.Split(spec, height, width, RankPolicy.Parse(policy));
        Assert.Contains(settings.Ranks.Values, r => r.Split);

        using var plain = new UntrustedOnlyExecutor(spec, initial, optimizer);
        using var split = new SplitExecutor(settings, initial, optimizer);
        split.Enclave.RecordLogits = true;
        split.Enclave.RecordGradients = true;

        // The first step's logits from a separate copy (a train-mode forward updates BatchNorm's running statistics).
        Tensor expectedLogits;
        using (var oracle = new ReferenceNetwork(spec, initial))
            expectedLogits = oracle.forward(input).detach();
        for (int step = 0; step < 3; step++)
        {
            StepReport p = plain.TrainStep(input, labels);
            StepReport s = split.TrainStep(input, labels);
            output.WriteLine($"{name} step {step}: loss plain {p.Loss:0.000000} split {s.Loss:0.000000}; split wall {s.Timings.Wall:0.000}s");
            if (step == 0)
            {
                AssertClose(expectedLogits, split.Enclave.LastLogits!, "logits");
                foreach (var (n, parameter) in plain.Model.named_parameters())
                    AssertClose(parameter.grad!, split.Enclave.LastGradients[n], $"gradient of {n}");
            }
            Assert.Equal(p.Loss, s.Loss, Tolerance);
            Assert.Equal(p.Correct, s.Correct);
        }
        using StateDict a = plain.ExportState(), b = split.ExportState();
        Assert.Equal(a.Names, b.Names);
        foreach (string n in a.Names)
            AssertClose(a[n], b[n], $"state {n} after 3 steps");
        Assert.Equal(ExecutionMode.Asym, split.Mode);
    }

    [Fact]
    public void TeeOnlyTrainingEqualsPlainTraining()
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = TestNetworks.HandBuilt();
        using StateDict initial = StateDict.Initialize(spec, seed: 3);
        Tensor input = randn(4, 3, 12, 10);
        Tensor labels = randint(0, 5, [4]);
        var optimizer = new OptimizerSettings(LearningRate: 0.05, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4);
        using var plain = new UntrustedOnlyExecutor(spec, initial, optimizer);
        using var tee = new SplitExecutor(EnclaveSettings.TeeOnly(spec), initial, optimizer);
        Assert.Equal(ExecutionMode.TeeOnly, tee.Mode);
        for (int step = 0; step < 3; step++)
            Assert.Equal(plain.TrainStep(input, labels).Loss, tee.TrainStep(input, labels).Loss, Tolerance);
        using StateDict a = plain.ExportState(), b = tee.ExportState();
        foreach (string n in a.Names)
            AssertClose(a[n], b[n], $"state {n}");
        StepReport inferPlain = plain.Infer(input, labels), inferTee = tee.Infer(input, labels);
        Assert.Equal(inferPlain.Loss, inferTee.Loss, Tolerance);
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
        if (expected.dtype == ScalarType.Int64)
        {
            Assert.True((expected == actual).all().item<bool>(), what);
            return;
        }
        // Relative to the largest entry; a gradient that is zero in exact arithmetic (a bias before BatchNorm) is
        // compared at the scale 1e-6 instead of its rounding noise.
        double scale = Math.Max(expected.abs().max().ToDouble(), 1e-6);
        double error = (expected - actual).abs().max().ToDouble() / scale;
        Assert.True(error <= Tolerance, $"{what}: max relative error {error:E2}");
    }
}
