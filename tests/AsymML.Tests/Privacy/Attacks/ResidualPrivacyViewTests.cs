using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Session;
using AsymML.Decomposition;
using AsymML.DifferentialPrivacy;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Privacy.Attacks;
using AsymML.Training.InProcess;

namespace AsymML.Tests.Privacy.Attacks;

/// <summary>With the residual Gaussian mechanism on, what the host receives is the clipped residual plus noise of std
/// σ·C, and the enclave's step results carry the accountant's ε for the worst image.</summary>
public class ResidualPrivacyViewTests
{
    [Fact]
    public void HostReceivesClippedResidualPlusCalibratedNoise()
    {
        using var scope = NewDisposeScope();
        AttackScenario plain = AttackFixtures.Scenario(AttackFixtures.SmallCnn(), out StateDict weights, privateCount: 8);
        using (weights)
        {
            const double sigma = 0.5, clip = 3.0;
            AttackScenario scenario = plain with { ResidualPrivacy = new ResidualPrivacySettings(sigma, clip) };
            var views = new HostViewRecorder(scenario) { BatchSize = 4 }.Inference(scenario.Private);
            var inputs = UnprotectedView.LayerInputs(scenario, scenario.Private, scenario.SplitLayers());
            foreach (string layer in scenario.SplitLayers())
            {
                int rank = scenario.Enclave().Ranks[layer].Rank;
                using LowRankFactors f = LowRankSplit.Split(inputs[layer], new LowRankSplitOptions { Rank = rank, Method = SplitMethod.Blocked, MaxIterations = 2 });
                Tensor norms = f.Residual.flatten(1).norm(1);
                Tensor clipped = f.Residual * (clip / norms).clamp_max(1).view(-1, 1, 1, 1);
                Tensor noise = views[layer] - clipped;
                double ratio = noise.std().ToDouble() / (sigma * clip);
                Assert.InRange(ratio, 0.97, 1.03); // ≥ 8 × 32 × 14 × 14 elements per layer
                Assert.True(Math.Abs(Correlation(noise, clipped)) < 0.05, $"{layer}: noise correlates with the residual");
            }
        }
    }

    [Fact]
    public void StepResultsCarryTheWorstImagesEpsilon()
    {
        using var scope = NewDisposeScope();
        AttackScenario plain = AttackFixtures.Scenario(AttackFixtures.SmallCnn(), out StateDict weights);
        using (weights)
        {
            var settings = plain.Enclave() with { ResidualPrivacy = new ResidualPrivacySettings(2, ClipQuantile: 0.5, Delta: 1e-5) };
            using var executor = new SplitExecutor(settings, weights, new OptimizerSettings());
            executor.Provision("train", new PlainDataSource(plain.Training));
            StepReport first = executor.TrainStep("train", [0, 1, 2, 3], 0);
            StepReport second = executor.TrainStep("train", [3, 4, 5, 6], 1);   // image 3 again
            int layers = plain.SplitLayers().Count;                             // 3
            Assert.Equal(layers, first.MaxResidualReleases);
            Assert.Equal(2 * layers, second.MaxResidualReleases);
            Assert.Equal(new RdpAccountant().Compose(1, 1, 2 * layers).GetPrivacySpent(1e-5).Epsilon, second.ResidualEpsilon, 1e-9);
            Assert.True(second.ResidualEpsilon > first.ResidualEpsilon);
            Assert.True(double.IsFinite(second.Loss));
        }
    }

    private static double Correlation(Tensor x, Tensor y)
    {
        Tensor a = x.flatten() - x.mean(), b = y.flatten() - y.mean();
        return ((a * b).sum() / (a.norm() * b.norm())).ToDouble();
    }
}
