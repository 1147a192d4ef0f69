using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Enclave.Sealing;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Sealing;
using AsymML.Training;
using AsymML.Training.InProcess;

namespace AsymML.Tests.Training;

/// <summary>The one factory: the mode decides the executor, and only the untrusted-only baseline is given opened data.</summary>
public sealed class ExecutorsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(ExecutionMode.Asym, typeof(SplitExecutor))]
    [InlineData(ExecutionMode.TeeOnly, typeof(SplitExecutor))]
    [InlineData(ExecutionMode.UntrustedOnly, typeof(UntrustedOnlyExecutor))]
    public void TheModeDecidesTheExecutor(ExecutionMode mode, Type expected)
    {
        NetworkSpec spec = ModelZoo.Create(ModelZoo.SmallCnnName, 1, 3, imageSize: 8);
        using StateDict state = StateDict.Initialize(spec, seed: 1);
        foreach (SplitMethod method in Enum.GetValues<SplitMethod>())
        {
            using IExecutor executor = Executors.Create(spec, (8, 8), state, new ExecutorOptions(mode, new FixedRankPolicy(1), new OptimizerSettings(), SplitMethod: method));
            Assert.IsType(expected, executor);
            Assert.Equal(mode, executor.Mode);
            using Tensor input = randn(2, 1, 8, 8);
            using Tensor labels = tensor(new long[] { 0, 2 });
            Assert.True(double.IsFinite(executor.TrainStep(input, labels).Loss), $"{mode}, {method}");
        }
    }

    [Fact]
    public void OnlyTheUntrustedOnlyBaselineGetsSealedDataOpened()
    {
        var images = new LabeledImages(Enumerable.Range(0, 4 * 16).Select(i => (byte)i).ToArray(), [0, 1, 0, 1], 4, 1, 4, 4);
        string keyFile = _dir.File("owner.key"), file = _dir.File("data.asymdata");
        using (SealKey key = SealKey.Generate())
        {
            key.Save(keyFile);
            SealedDataWriter.Write(images, file, key);
        }
        var sealedSource = new SealedDataSource(file);

        Assert.Same(sealedSource, Executors.ForMode(ExecutionMode.Asym, sealedSource, keyFile));
        Assert.Same(sealedSource, Executors.ForMode(ExecutionMode.TeeOnly, sealedSource, null));
        var opened = Assert.IsType<PlainDataSource>(Executors.ForMode(ExecutionMode.UntrustedOnly, sealedSource, keyFile));
        Assert.Equal(images.Pixels, opened.Images.Pixels);
        Assert.Contains("needs the data owner's key", Assert.Throws<ExecutionException>(() => Executors.ForMode(ExecutionMode.UntrustedOnly, sealedSource, null)).Message);
        var plain = new PlainDataSource(images);
        Assert.Same(plain, Executors.ForMode(ExecutionMode.UntrustedOnly, plain, null));
    }
}
