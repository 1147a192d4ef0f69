using AsymML.Privacy.Attacks;
using AsymML.Network;
using Xunit.Abstractions;

namespace AsymML.Tests.Privacy.Attacks;

/// <summary>Label leakage on small seeded configurations through the real executor; thresholds from measured values
/// (docs/privacy-attacks.md).</summary>
public class LabelLeakageAttackTests(ITestOutputHelper output)
{
    [Fact]
    public void BatchOfOneGivesItsLabelAwayThroughTheClassifierBias()
    {
        using var scope = NewDisposeScope();
        AttackScenario scenario = AttackFixtures.Scenario(AttackFixtures.SmallCnn(batchNorm: false), out StateDict weights);
        using (weights)
        {
            LabelLeakageResult r = new LabelLeakageAttack(new LabelLeakageOptions(LabelSignal.ClassifierGradient, 1, 6)).Recover(scenario);
            output.WriteLine($"{r.Target}: {r.Accuracy:0.000} (unprotected {r.UnprotectedAccuracy:0.000}, chance {r.ChanceAccuracy:0.000}), {r.Seconds:0.0} s");
            // The bias gradient p − onehot(y) has exactly one negative entry: the label, always.
            Assert.Equal(1.0, r.Accuracy);
            Assert.Equal(1.0, r.UnprotectedAccuracy);
            Assert.Equal(0.1, r.ChanceAccuracy, 12);
        }
    }

    [Theory]
    [InlineData(LabelSignal.ClassifierGradient, 0.8)] // measured 23 of 24 (0.958), chance 0.414
    [InlineData(LabelSignal.OutputGradient, 0.95)] // measured 24 of 24, chance 0.1
    public void BatchOfEightLeaksItsLabels(LabelSignal signal, double atLeast)
    {
        using var scope = NewDisposeScope();
        AttackScenario scenario = AttackFixtures.Scenario(AttackFixtures.SmallCnn(), out StateDict weights);
        using (weights)
        {
            LabelLeakageResult r = new LabelLeakageAttack(new LabelLeakageOptions(signal, 8, 3)).Recover(scenario);
            output.WriteLine($"{r.Target}: {r.Accuracy:0.000} {r.Scoring} (unprotected {r.UnprotectedAccuracy:0.000}, chance {r.ChanceAccuracy:0.000}), {r.Seconds:0.0} s");
            Assert.True(r.Accuracy >= atLeast, $"{r.Accuracy:0.000}");
            Assert.True(r.Accuracy >= r.ChanceAccuracy + 0.3);
        }
    }

    [Fact]
    public void ChanceOfTheMultisetScoreIsItsExactExpectation()
    {
        // Brute force over every guess of 2 labels among 3 classes, against the batch {0, 0}: E[min(G_0, 2)] / 2.
        double brute = 0;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                brute += ((a == 0 ? 1 : 0) + (b == 0 ? 1 : 0)) / 9.0;
        Assert.Equal(brute, LabelLeakageAttack.ExpectedMultisetHits([0, 0], 3, 2), 12);
        // Against {0, 1}: each guess scores min(G_0, 1) + min(G_1, 1).
        brute = 0;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
                brute += (Math.Min((a == 0 ? 1 : 0) + (b == 0 ? 1 : 0), 1) + Math.Min((a == 1 ? 1 : 0) + (b == 1 ? 1 : 0), 1)) / 9.0;
        Assert.Equal(brute, LabelLeakageAttack.ExpectedMultisetHits([0, 1], 3, 2), 12);
    }
}
