using AsymML.Boundary.Messages;
using AsymML.Boundary.Session;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;

using AsymML.Tests.Data;

namespace AsymML.Tests.Enclave.Integrity;

/// <summary>An accelerator that lies, over the real socket: each lie is caught on the first step it is told, with the
/// tensor, the layer and the step named, and no update is applied (no weight gradients leave, the weights the enclave
/// gives the host stay those of the step before).</summary>
public sealed class LyingAcceleratorTests : IDisposable
{
    private const int Side = 8;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static LabeledImages Images(int count) => RandomImages.Make(count, Side, seed: 3);

    public static TheoryData<string, string> Lies()
    {
        var lies = new TheoryData<string, string>();
        foreach (string tensor in (string[])["Y_U", "dX"])
            foreach (string lie in (string[])["scale 1.01", "noise 1%", "noise 10%", "zero", "sign flip", "replay", "one channel", "one sample"])
                lies.Add(tensor, lie);
        // dW_U is summed over the batch: no sample to corrupt; "one channel" is one output channel (a row of dW_U).
        foreach (string lie in (string[])["scale 1.01", "noise 1%", "noise 10%", "zero", "sign flip", "replay", "one channel", "NaN"])
            lies.Add("dW_U", lie);
        return lies;
    }

    [Theory]
    [MemberData(nameof(Lies))]
    public void EveryLieIsCaughtOnItsFirstStep(string tensor, string lie)
    {
        NetworkSpec spec = ModelZoo.Create(ModelZoo.SmallCnnName, 1, 3, imageSize: Side);
        using var host = new MaliciousHost(_dir, EnclaveSettings.Split(spec, Side, Side, new FixedRankPolicy(1)));
        host.Provision("train", new PlainDataSource(Images(12)));
        host.Receive<DataReady>().Dispose();

        int step = 1;
        var honest = new Dictionary<string, Tensor>(); // step 1's replies, for the replay
        string? lied = null;
        host.Tamper = reply =>
        {
            (string layer, Tensor? value) = reply switch
            {
                ConvForwardReply f when tensor == "Y_U" => (f.ConvLayer, f.Output),
                ConvBackwardReply b when tensor == "dX" => (b.ConvLayer, b.InputGradient),
                ConvBackwardReply b when tensor == "dW_U" => (b.ConvLayer, b.WeightGradient),
                _ => ("", null),
            };
            if (value is null) return reply;
            if (step == 1) // an honest first step (its replies kept for the replay), so that the weights the lie must not change exist
            {
                if (lie == "replay") honest[layer] = value.clone();
                return reply;
            }
            if (lied is not null) return reply;
            lied = layer;
            using Tensor std = value.std();
            double sd = std.ToDouble();
            switch (lie)
            {
                case "scale 1.01": value.mul_(1.01); break;
                case "noise 1%": value.add_(torch.randn_like(value).mul_(0.01 * sd)); break;
                case "noise 10%": value.add_(torch.randn_like(value).mul_(0.1 * sd)); break;
                case "zero": value.zero_(); break;
                case "sign flip": value.neg_(); break;
                case "replay": value.copy_(honest[layer]); break;
                case "one channel" when tensor == "dW_U": value[1].add_(torch.randn_like(value[1]).mul_(0.01 * sd)); break;
                case "one channel": value[.., 1].add_(torch.randn_like(value[.., 1]).mul_(0.01 * sd)); break;
                case "NaN": value[0, 0, 0, 0] = torch.tensor(double.NaN); break;
                default: value[2].add_(torch.randn_like(value[2]).mul_(0.01 * sd)); break;
            }
            return reply;
        };
        Assert.True(double.IsFinite(host.Step(StepKind.Train, "train", [0, 1, 2, 3]).Loss));
        step = 2;
        int exchangesBefore = host.GradientExchanges;
        using StateDict weightsBefore = host.PublicWeights();

        BoundaryMessage last = host.Drive(StepKind.Train, "train", [4, 5, 6, 7]); // another batch: a replay is stale

        var error = Assert.IsType<ErrorMessage>(last);
        Assert.NotNull(lied);
        Assert.StartsWith(lie == "NaN" // the gate refuses a non-finite tensor before the check sees it
            ? $"enclave: refused dW_U of layer '{lied}': expected finite values, got NaN or infinity"
            : $"enclave: integrity check failed: {tensor} of layer {lied} (step {step})", error.Text);
        Assert.Equal(exchangesBefore, host.GradientExchanges); // no weight gradients went out: no update
        using (StateDict weightsAfter = host.PublicWeights())
        {
            Assert.NotEmpty(weightsBefore.Names);
            Assert.Equal(weightsBefore.Names, weightsAfter.Names);
            foreach (string name in weightsBefore.Names)
                Assert.True(weightsBefore[name].eq(weightsAfter[name]).all().item<bool>(), $"{name}: no new weights after the lie");
        }
        Assert.True(host.EnclaveEnded());
        foreach (Tensor t in honest.Values) t.Dispose();
    }

    [Fact]
    public void AWeightGradientLieGoesUnnoticedOnlyWithVerificationOff()
    {
        // The control: the same lie (dW_U scaled by 1.01) with --verify off trains on, so the check is what catches it.
        NetworkSpec spec = ModelZoo.Create(ModelZoo.SmallCnnName, 1, 3, imageSize: Side);
        using var host = new MaliciousHost(_dir, EnclaveSettings.Split(spec, Side, Side, new FixedRankPolicy(1)) with { Verify = VerificationSettings.Off });
        host.Provision("train", new PlainDataSource(Images(12)));
        host.Receive<DataReady>().Dispose();
        int lies = 0;
        host.Tamper = reply =>
        {
            if (reply is ConvBackwardReply { WeightGradient: { } dw })
            {
                dw.mul_(1.01);
                lies++;
            }
            return reply;
        };
        Assert.True(double.IsFinite(host.Step(StepKind.Train, "train", [0, 1, 2, 3]).Loss));
        Assert.True(lies > 0);
    }

    [Fact]
    public void AnHonestAcceleratorPassesEveryCheckForManySteps()
    {
        NetworkSpec spec = ModelZoo.Create(ModelZoo.SmallCnnName, 1, 3, imageSize: Side);
        using var host = new MaliciousHost(_dir, EnclaveSettings.Split(spec, Side, Side, new FixedRankPolicy(1)));
        host.Provision("train", new PlainDataSource(Images(12)));
        host.Receive<DataReady>().Dispose();
        for (int i = 0; i < 20; i++)
            Assert.True(double.IsFinite(host.Step(StepKind.Train, "train", [i % 12, (i + 5) % 12, (i + 7) % 12]).Loss));
    }
}
