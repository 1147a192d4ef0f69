using AsymML.Decomposition;
using AsymML.Privacy.Attacks;
using AsymML.Network;

namespace AsymML.Tests.Privacy.Attacks;

/// <summary>The attacker's view read from the real executor's transcript is what the design says the host gets: the
/// residual X − U·V of each split convolution (not X), dY, and a summed gradient equal to the plain one.</summary>
public class HostViewTests
{
    [Fact]
    public void InferenceViewIsTheResidualOfTheLayerInput()
    {
        using var scope = NewDisposeScope();
        AttackScenario scenario = AttackFixtures.Scenario(AttackFixtures.SmallCnn(), out StateDict weights, privateCount: 6);
        using (weights)
        {
            Assert.Equal(["features.3", "features.7", "features.10"], scenario.SplitLayers());
            var views = new HostViewRecorder(scenario) { BatchSize = 4, ChunkSize = 5 }.Inference(scenario.Private); // two executors, three steps
            var inputs = UnprotectedView.LayerInputs(scenario, scenario.Private, scenario.SplitLayers());
            foreach (string layer in scenario.SplitLayers())
            {
                Tensor residual = views[layer], x = inputs[layer];
                Assert.Equal(x.shape, residual.shape);
                int rank = scenario.Enclave().Ranks[layer].Rank;
                using LowRankFactors f = LowRankSplit.Split(x, new LowRankSplitOptions { Rank = rank, Method = SplitMethod.Blocked, MaxIterations = 2 });
                double error = (residual - f.Residual).abs().max().ToDouble() / x.abs().max().ToDouble();
                double distance = ((residual - x).norm() / x.norm()).ToDouble();
                Assert.True(error < 1e-4, $"{layer}: the view differs from X − U·V by {error:E2} (relative to max |X|)");
                Assert.True(distance > 0.05, $"{layer}: the view is within {distance:0.000} of X itself");
            }
        }
    }

    [Fact]
    public void TrainingStepViewSumsToThePlainGradientAtNsr0()
    {
        using var scope = NewDisposeScope();
        AttackScenario scenario = AttackFixtures.Scenario(AttackFixtures.SmallCnn(), out StateDict weights);
        using (weights)
        {
            long[] indices = [3, 17, 42, 99];
            using HostStepView view = new HostViewRecorder(scenario).TrainingStep(indices);
            (Tensor input, Tensor labels) = AsymML.Data.ImageBatches.Make(scenario.Training, indices, scenario.Normalization());
            var (plain, plainDy) = UnprotectedView.TrainingStep(scenario.Spec, weights, input, labels, scenario.SplitLayers());
            Assert.Equal(4, view.BatchSize);
            Assert.Equal(plain.Keys.Order(), view.SummedGradients.Keys.Order());
            foreach (var (name, g) in plain)
                Assert.True(Relative(view.SummedGradients[name], g) < 1e-4, $"{name}: {Relative(view.SummedGradients[name], g):E2}");
            foreach (string layer in scenario.SplitLayers())
            {
                Assert.True(Relative(view.OutputGradients[layer], plainDy[layer]) < 1e-4, $"dY of {layer}");
                // What the enclave sent for a split convolution is dW_T only: far from the whole gradient.
                Assert.True(Relative(view.ReceivedGradients[layer + ".weight"], plain[layer + ".weight"]) > 1e-2, $"dW_T of {layer}");
            }
            Assert.True(view.Loss > 0 && double.IsFinite(view.Loss));
            foreach (Tensor t in plain.Values.Concat(plainDy.Values)) t.Dispose();
        }
    }

    private static double Relative(Tensor a, Tensor b) => ((a - b).norm() / b.norm().clamp_min(1e-30)).ToDouble();
}
