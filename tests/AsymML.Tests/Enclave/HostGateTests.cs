using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Session;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Enclave;
using AsymML.Enclave.Sealing;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Sealing;

using AsymML.Tests.Data;

namespace AsymML.Tests.Enclave;

/// <summary>
/// The enclave's gate, attacked as a malicious host would: over a real Unix socket, sending what it likes. Each rule
/// is broken once; the refusal names its rule, and the enclave then either goes on serving (a refused command
/// changed nothing: an honest step right after succeeds) or, when a reply inside a step was poisoned, ends the
/// session cleanly.
/// </summary>
public sealed class HostGateTests : IDisposable
{
    private const int Side = 8, Classes = 3;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static NetworkSpec Spec() => ModelZoo.Create(ModelZoo.SmallCnnName, 1, Classes, imageSize: Side); // has BatchNorm

    private static LabeledImages Images(int count, int seed) => RandomImages.Make(count, Side, seed);

    private static EnclaveSettings Plaintext() => EnclaveSettings.Split(Spec(), Side, Side, new FixedRankPolicy(1));

    private EnclaveSettings Sealed(out string trainFile)
    {
        string keyFile = _dir.File("owner.key");
        trainFile = _dir.File("train.asymdata");
        using (SealKey key = SealKey.Generate())
        {
            key.Save(keyFile);
            SealedDataWriter.Write(Images(12, seed: 1), trainFile, key, chunkSize: 4);
        }
        return Plaintext() with { Data = new PrivateDataOptions(keyFile, null, 7) };
    }

    [Fact]
    public void SealedSessionRefusesPlaintextImagesAndLabels()
    {
        using var host = new MaliciousHost(_dir, Sealed(out string trainFile));
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        Assert.StartsWith("enclave: refused ProvisionData: input: expected sealed data only", host.Refusal());
        using (var x = torch.rand(2, 1, Side, Side))
        using (var y = torch.tensor(new long[] { 0, 1 }))
            host.Send(new ProvisionBatch(x, y));
        Assert.StartsWith("enclave: refused ProvisionBatch: input: expected sealed data only", host.Refusal());
        host.Send(new RunStep(StepKind.Train, 1));
        Assert.StartsWith("enclave: refused RunStep: batch: expected a batch", host.Refusal());

        host.Provision("train", new SealedDataSource(trainFile));
        Assert.Equal(12, host.Receive<DataReady>().Count);
        Assert.True(double.IsFinite(host.Step(StepKind.Train, "train", [0, 1, 2, 3]).Loss), "the enclave still serves sealed data");
    }

    [Fact]
    public void PlaintextSessionTakesPlaintextData()
    {
        using var host = new MaliciousHost(_dir, Plaintext());
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        Assert.Equal(12, host.Receive<DataReady>().Count);
        Assert.Equal(4, host.Step(StepKind.Train, "train", [0, 1, 2, 3]).BatchSize);
    }

    [Fact]
    public void TrainingStepOnTheTestSplitIsRefused()
    {
        using var host = new MaliciousHost(_dir, Plaintext());
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        host.Receive<DataReady>().Dispose();
        host.Provision("test", new PlainDataSource(Images(6, seed: 4)));
        host.Receive<DataReady>().Dispose();

        host.SendStep(StepKind.Train, "test", [0, 1, 2]);
        Assert.StartsWith("enclave: refused RunStep: split: expected a training step on the training set 'train' only, not on 'test'", host.Refusal());

        Assert.Equal(3, host.Step(StepKind.Infer, "test", [0, 1, 2]).BatchSize);
        Assert.Equal(3, host.Step(StepKind.Train, "train", [0, 1, 2]).BatchSize);
    }

    [Fact]
    public void BatchNormTrainingStepOfOneSampleIsRefused()
    {
        using var host = new MaliciousHost(_dir, Plaintext());
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        host.Receive<DataReady>().Dispose();

        host.SendStep(StepKind.Train, "train", [5]);
        Assert.StartsWith("enclave: refused RunStep: batch: expected at least 2 samples for a training step of a network with BatchNorm, got 1", host.Refusal());

        Assert.Equal(1, host.Step(StepKind.Infer, "train", [5]).BatchSize); // inference of one sample is fine
        Assert.Equal(2, host.Step(StepKind.Train, "train", [5, 6]).BatchSize);
    }

    [Fact]
    public void MalformedCommandsAreRefusedEachWithItsRuleAndChangeNothing()
    {
        using var host = new MaliciousHost(_dir, Plaintext());
        using (var floats = torch.rand(4, 1, Side, Side))
        using (var labels = torch.zeros(4, dtype: torch.ScalarType.Byte))
            host.Send(new ProvisionData("train", floats, labels));
        Assert.Equal("enclave: refused ProvisionData: pixels: expected uint8 [N, C, H, W], got Float32 [4, 1, 8, 8].", host.Refusal());
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        host.Receive<DataReady>().Dispose();

        host.SendStep(StepKind.Infer, "validation", [0, 1]);
        Assert.Equal("enclave: refused SelectBatch: split: expected a provisioned data set ('train'), got 'validation'.", host.Refusal());
        Assert.StartsWith("enclave: refused RunStep: batch", host.Refusal()); // the step lost its batch
        host.SendStep(StepKind.Infer, "train", [0, 12]);
        Assert.Equal("enclave: refused SelectBatch: indices: expected sample numbers 0 … 11 of 'train', got 0 … 12.", host.Refusal());
        Assert.StartsWith("enclave: refused RunStep: batch", host.Refusal());
        using (var y = torch.zeros(1, 4, 8, 8))
            host.Send(new ConvForwardReply("features.0", y));
        Assert.StartsWith("enclave: refused ConvForwardReply: kind: expected a command", host.Refusal());

        Assert.Equal(2, host.Step(StepKind.Train, "train", [10, 11]).BatchSize);
    }

    [Fact]
    public void WeightsFromTheHostAreRefusedAndChangeNothing()
    {
        using var host = new MaliciousHost(_dir, Plaintext());
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        host.Receive<DataReady>().Dispose();
        host.Send(new ExportRequest());
        using StateExport before = host.Receive<StateExport>();
        // The label oracle's weights: classifier weight 0, bias 0 … C−1.
        string weight = before.State.Single(p => p.Name == "classifier.weight").Name;
        using (var zero = torch.zeros_like(before.State.Single(p => p.Name == weight).Value))
        using (var bias = torch.arange(Classes, dtype: torch.ScalarType.Float32))
            host.Send(new WeightsMessage([new(weight, zero), new("classifier.bias", bias)]));
        Assert.Equal("enclave: refused Weights: weights: expected no weights from the host: the enclave holds the authoritative weights " +
            "(made from the owner's seed, or resumed from a state it exported: LoadState).", host.Refusal());

        host.Send(new ExportRequest());
        using (StateExport after = host.Receive<StateExport>())
            foreach (var (b, a) in before.State.Zip(after.State))
                Assert.True(b.Value.eq(a.Value).all().item<bool>(), $"{b.Name} unchanged by the refused weights");
        Assert.True(double.IsFinite(host.Step(StepKind.Train, "train", [0, 1, 2, 3]).Loss), "the enclave still serves");
    }

    [Fact]
    public void InfiniteStateIsRefusedBeforeAnyIsLoaded()
    {
        using var host = new MaliciousHost(_dir, Plaintext());
        host.Send(new ExportRequest());
        using StateExport honest = host.Receive<StateExport>();
        string poisoned = honest.State[1].Name;
        using (var inf = honest.State[1].Value.clone().fill_(double.PositiveInfinity))
        using (var none = torch.zeros(0, dtype: torch.ScalarType.Byte))
        using (var noTag = torch.zeros(0, dtype: torch.ScalarType.Byte))
            host.Send(new LoadState(honest.State.Select((w, i) => i == 1 ? new NamedTensor(w.Name, inf) : w).ToList(), none, noTag));
        Assert.Equal($"enclave: refused LoadState: {poisoned}: expected finite values, got NaN or infinity.", host.Refusal());
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        host.Receive<DataReady>().Dispose();
        StepResult step = host.Step(StepKind.Train, "train", [0, 1, 2, 3]);
        Assert.True(double.IsFinite(step.Loss), "the refused state never reached the model");
    }

    [Fact]
    public void LearningRateOutsideTheEnclavesBoundsIsRefused()
    {
        // The settings allow [0.05·10⁻³, 0.05].
        using var host = new MaliciousHost(_dir, Plaintext());
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        host.Receive<DataReady>().Dispose();

        host.SendStep(StepKind.Train, "train", [0, 1], learningRate: 0.051);
        Assert.Equal("enclave: refused RunStep: learning rate: expected a learning rate within the enclave's bounds [5E-05, 0.05], got 0.051.", host.Refusal());
        host.SendStep(StepKind.Train, "train", [0, 1], learningRate: 4e-5);
        Assert.StartsWith("enclave: refused RunStep: learning rate: expected a learning rate within the enclave's bounds", host.Refusal());

        Assert.True(double.IsFinite(host.Step(StepKind.Train, "train", [0, 1], learningRate: 0.05).Loss));
        Assert.True(double.IsFinite(host.Step(StepKind.Train, "train", [0, 1], learningRate: 5e-5).Loss));
    }

    [Theory]
    [InlineData("Y_U")]
    [InlineData("dX")]
    public void NonFiniteAcceleratorResultStopsTheStepAndEndsTheSession(string poisoned)
    {
        using var host = new MaliciousHost(_dir, Plaintext());
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        host.Receive<DataReady>().Dispose();
        string? corrupted = null;
        host.Tamper = reply =>
        {
            if (corrupted is not null) return reply;
            switch (reply)
            {
                case ConvForwardReply forward when poisoned == "Y_U":
                    corrupted = forward.ConvLayer;
                    forward.Output.fill_(double.NaN);
                    break;
                case ConvBackwardReply { InputGradient: { } dx } backward when poisoned == "dX":
                    corrupted = backward.ConvLayer;
                    dx.fill_(double.NaN);
                    break;
            }
            return reply;
        };

        BoundaryMessage last = host.Drive(StepKind.Train, "train", [0, 1, 2, 3]);
        var error = Assert.IsType<ErrorMessage>(last);
        Assert.NotNull(corrupted);
        Assert.Equal($"enclave: refused {poisoned} of layer '{corrupted}': expected finite values, got NaN or infinity.", error.Text);
        Assert.True(host.EnclaveEnded(), "the enclave ends the session after a poisoned step");
        Assert.Null(host.EnclaveFailure);
    }

    [Fact]
    public void DivergedTrainingStepReportsItsLossAndUpdatesNothing()
    {
        // A session without a key takes an unauthenticated state (the host supplied the plaintext data anyway): here
        // finite but huge classifier weights, so that the logits overflow and the loss is not a number.
        using var host = new MaliciousHost(_dir, Plaintext());
        host.Send(new ExportRequest());
        using (StateExport honest = host.Receive<StateExport>())
        using (var huge = honest.State.Single(w => w.Name == "classifier.weight").Value.clone().fill_(3e38))
        using (var none = torch.zeros(0, dtype: torch.ScalarType.Byte))
        using (var noTag = torch.zeros(0, dtype: torch.ScalarType.Byte))
            host.Send(new LoadState(honest.State.Select(w => w.Name == "classifier.weight" ? new NamedTensor(w.Name, huge) : w).ToList(), none, noTag));
        Assert.False(host.Receive<StateLoaded>().Authenticated);
        host.Provision("train", new PlainDataSource(Images(12, seed: 3)));
        host.Receive<DataReady>().Dispose();

        StepResult step = host.Step(StepKind.Train, "train", [0, 1, 2, 3]);
        Assert.False(double.IsFinite(step.Loss));
        Assert.Equal(0, host.GradientExchanges);
        host.Send(new ExportRequest());
        using StateExport export = host.Receive<StateExport>();
        Assert.True(export.State.Single(p => p.Name == "classifier.weight").Value.eq(3e38f).all().item<bool>(), "no update was applied");
    }
}
