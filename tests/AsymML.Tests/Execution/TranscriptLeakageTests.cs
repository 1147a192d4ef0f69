using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;
using AsymML.Decomposition;
using AsymML.Enclave;
using AsymML.Execution;
using AsymML.Network;
using Xunit.Abstractions;
using AsymML.Training.InProcess;
using AsymML.Boundary.Session;

namespace AsymML.Tests.Execution;

/// <summary>The design's second invariant, checked on everything that crossed during one training step: the host
/// received only the allowed kinds, and nothing equal or nearly proportional to a private tensor.</summary>
public class TranscriptLeakageTests(ITestOutputHelper output)
{
    // The weights go to the host now (the enclave holds them and steps the optimizer); none come from it.
    private static readonly MessageKind[] AllowedToHost = [MessageKind.ConvForward, MessageKind.ConvBackward, MessageKind.WeightGradients, MessageKind.Weights, MessageKind.StepResult];
    private static readonly MessageKind[] AllowedToEnclave = [MessageKind.ProvisionBatch, MessageKind.RunStep, MessageKind.ConvForwardReply, MessageKind.ConvBackwardReply];

    [Theory]
    [InlineData("hand-built", 3, 12, 10, "fixed:2")]
    [InlineData("small-cnn", 1, 28, 28, "paper")]
    public void HostReceivesNothingPrivate(string name, int channels, int height, int width, string policy)
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = name == "hand-built" ? TestNetworks.HandBuilt() : ModelZoo.Create(name, channels, 10, imageSize: height);
        using StateDict initial = StateDict.Initialize(spec, seed: 5);
        using var g = new Generator(17);
        Tensor input = rand([4, channels, height, width], generator: g);
        Tensor labels = randint(0, 5, [4], generator: g);
        EnclaveSettings settings = EnclaveSettings.Split(spec, height, width, RankPolicy.Parse(policy));
        using var transcript = new BoundaryTranscript(keepTensors: true);
        using (var executor = new SplitExecutor(settings, initial, new OptimizerSettings(), transcript: transcript))
            executor.TrainStep(input, labels);

        List<(string What, Tensor Value)> secrets = PrivateTensors(spec, initial, settings, input, labels);
        IReadOnlyList<TranscriptEntry> entries = transcript.Entries;
        Assert.All(entries.Where(e => e.To == BoundarySide.Host), e => Assert.Contains(e.Kind, AllowedToHost));
        Assert.All(entries.Where(e => e.To == BoundarySide.Enclave), e => Assert.Contains(e.Kind, AllowedToEnclave));
        Assert.Contains(entries, e => e.Kind == MessageKind.ConvForward); // something was split

        int compared = 0;
        double worst = 0;
        string worstPair = "";
        foreach (TranscriptEntry entry in entries.Where(e => e.To == BoundarySide.Host))
            foreach (Tensor crossed in entry.Tensors)
                foreach (var (what, secret) in secrets.Where(s => s.Value.numel() == crossed.numel()))
                {
                    double correlation = Math.Abs(Correlation(crossed, secret));
                    compared++;
                    if (correlation > worst) (worst, worstPair) = (correlation, $"{entry.Kind} '{entry.Layer}' vs {what}");
                    Assert.True(correlation <= 0.99, $"{entry.Kind} '{entry.Layer}' correlates {correlation:0.0000} with {what}");
                }
        output.WriteLine($"{name}: {entries.Count} messages, {secrets.Count} private tensors, {compared} comparisons, worst |correlation| {worst:0.0000} ({worstPair})");
        Assert.True(compared > 0);
    }

    /// <summary>The input, the labels, every layer's output and X^T of every split convolution, recomputed in the
    /// clear with the same weights (a train-mode forward, as the step's).</summary>
    private static List<(string, Tensor)> PrivateTensors(NetworkSpec spec, StateDict weights, EnclaveSettings settings, Tensor input, Tensor labels)
    {
        var secrets = new List<(string, Tensor)> { ("the input", input), ("the labels", labels.to(ScalarType.Float32)) };
        using var model = new ReferenceNetwork(spec, weights);
        model.train();
        using var noGrad = no_grad();
        Tensor x = input;
        foreach (Layer layer in spec.Layers)
            x = Run(model, layer, x, settings, secrets);
        return secrets;
    }

    private static Tensor Run(ReferenceNetwork model, Layer layer, Tensor x, EnclaveSettings settings, List<(string, Tensor)> secrets)
    {
        Tensor y;
        if (layer is ResidualBlock block)
        {
            Tensor body = block.Body.Aggregate(x, (a, l) => Run(model, l, a, settings, secrets));
            Tensor shortcut = block.Shortcut.Aggregate(x, (a, l) => Run(model, l, a, settings, secrets));
            y = nn.functional.relu(body + shortcut);
        }
        else
        {
            if (layer is Conv2dLayer && settings.Ranks.TryGetValue(layer.Path, out RankAssignment? rank) && rank.Split)
            {
                using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = rank.Rank, Method = settings.Method, MaxIterations = settings.MaxIterations });
                secrets.Add(($"X^T of {layer.Path}", f.LowRankPart()));
            }
            y = ((nn.Module<Tensor, Tensor>)model.ModuleAt(layer.Path)).call(x);
        }
        secrets.Add(($"the output of {layer.Path}", y));
        return y;
    }

    private static double Correlation(Tensor a, Tensor b)
    {
        Tensor x = a.flatten().to(ScalarType.Float64), y = b.flatten().to(ScalarType.Float64);
        x = x - x.mean();
        y = y - y.mean();
        double denominator = Math.Sqrt(x.square().sum().ToDouble() * y.square().sum().ToDouble());
        // A constant tensor equal to a constant secret would still be a leak: compare directly then.
        return denominator == 0 ? ((a.flatten().to(ScalarType.Float64) - b.flatten().to(ScalarType.Float64)).abs().max().ToDouble() == 0 ? 1 : 0) : (x * y).sum().ToDouble() / denominator;
    }
}
