using AsymML.Optimization;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Session;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Tests.Data;

namespace AsymML.Tests.Enclave.Masking;

/// <summary>With masking on, the Freivalds checks run on the mixtures as they crossed (the check is linear, the
/// mixing too): every lie about conv(M, W) or convᵀ(D, W) is still caught on its first step, over the real socket,
/// before anything is un-mixed or any gradient leaves; an honest accelerator passes.</summary>
public sealed class MaskedLyingAcceleratorTests : IDisposable
{
    private const int Side = 8;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static EnclaveSettings Settings(NetworkSpec spec) =>
        EnclaveSettings.Split(spec, Side, Side, new FixedRankPolicy(1)) with { Mask = new MaskingSettings(2, 4) };

    public static TheoryData<string, string> Lies()
    {
        var lies = new TheoryData<string, string>();
        foreach (string tensor in (string[])["Y_U", "dX"])
            foreach (string lie in (string[])["scale 1.01", "noise 1%", "zero", "one mixture", "unmixed shape"])
                lies.Add(tensor, lie);
        return lies;
    }

    [Theory]
    [MemberData(nameof(Lies))]
    public void EveryLieIsCaughtOnItsFirstStep(string tensor, string lie)
    {
        NetworkSpec spec = ModelZoo.Create(ModelZoo.SmallCnnName, 1, 3, imageSize: Side);
        using var host = new MaliciousHost(_dir, Settings(spec));
        host.Provision("train", new PlainDataSource(RandomImages.Make(12, Side, seed: 3)));
        host.Receive<DataReady>().Dispose();
        string? lied = null;
        long mixtures = 0;
        host.Tamper = reply =>
        {
            (string layer, Tensor? value) = reply switch
            {
                ConvForwardReply f when tensor == "Y_U" => (f.ConvLayer, f.Output),
                ConvBackwardReply b when tensor == "dX" => (b.ConvLayer, b.InputGradient),
                _ => ("", null),
            };
            if (value is null || lied is not null) return reply;
            lied = layer;
            mixtures = value.shape[0];
            using Tensor std = value.std();
            double sd = std.ToDouble();
            switch (lie)
            {
                case "scale 1.01": value.mul_(1.01); break;
                case "noise 1%": value.add_(torch.randn_like(value).mul_(0.01 * sd)); break;
                case "zero": value.zero_(); break;
                case "one mixture": value[3].add_(torch.randn_like(value[3]).mul_(0.01 * sd)); break;
                default: // answers as if it had received the 5 unmixed samples
                    Tensor unmixed = value.narrow(0, 0, 5).clone();
                    return reply is ConvForwardReply f ? new ConvForwardReply(f.ConvLayer, unmixed) : new ConvBackwardReply(layer, unmixed);
            }
            return reply;
        };
        int exchangesBefore = host.GradientExchanges;
        BoundaryMessage last = host.Drive(StepKind.Train, "train", [0, 1, 2, 3, 4]);
        var error = Assert.IsType<ErrorMessage>(last);
        Assert.NotNull(lied);
        Assert.Equal(4 + 4 + 3, mixtures); // 5 samples in groups of 2, 2, 1: each two mixtures more
        if (lie == "unmixed shape")
            Assert.Contains($"{tensor}", error.Text); // refused by the gate: the shape of what was sent, 11 mixtures
        else
            Assert.StartsWith($"enclave: integrity check failed: {tensor} of layer {lied} (step 1)", error.Text);
        Assert.Equal(exchangesBefore, host.GradientExchanges);
        Assert.True(host.EnclaveEnded());
    }

    [Fact]
    public void AnHonestAcceleratorPassesEveryCheckForManySteps()
    {
        NetworkSpec spec = ModelZoo.Create(ModelZoo.SmallCnnName, 1, 3, imageSize: Side);
        using var host = new MaliciousHost(_dir, Settings(spec));
        host.Provision("train", new PlainDataSource(RandomImages.Make(12, Side, seed: 3)));
        host.Receive<DataReady>().Dispose();
        for (int i = 0; i < 20; i++)
            Assert.True(double.IsFinite(host.Step(StepKind.Train, "train", [i % 12, (i + 5) % 12, (i + 7) % 12]).Loss));
    }
}
