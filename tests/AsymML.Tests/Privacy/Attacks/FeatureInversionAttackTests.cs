using AsymML.Privacy.Attacks;
using AsymML.Network;
using Xunit.Abstractions;

namespace AsymML.Tests.Privacy.Attacks;

/// <summary>
/// A small seeded feature inversion at the first split layer of small-cnn (features.3; seeded weights, 200 public
/// and 40 private images, a decoder of width 8 trained 2 epochs). Thresholds are set from measured values
/// (docs/privacy-attacks.md, "test configurations"): the decoder on the unprotected input must beat the better of the
/// noise and mean-image baselines by a wide margin (the attack works), the host's view must stay measurably below the
/// unprotected input (sending X instead of X^U gives the same figure as the unprotected run: same decoder seed, same
/// images), and the residual's own figure is reported.
/// </summary>
public class FeatureInversionAttackTests(ITestOutputHelper output)
{
    private static readonly FeatureInversionOptions Small = new(DecoderWidth: 8, Epochs: 2, BatchSize: 16);

    [Fact]
    public void DecoderReadsTheUnprotectedInputAndMostOfTheResidual()
    {
        using var scope = NewDisposeScope();
        AttackScenario scenario = AttackFixtures.Scenario(AttackFixtures.SmallCnn(), out StateDict weights);
        using (weights)
        using (var attack = new FeatureInversionAttack(Small))
        {
            ReconstructionResult r = attack.Invert(scenario, "features.3");
            output.WriteLine($"features.3 nsr 0: host view SSIM {r.Ssim:0.0000} PSNR {r.Psnr:0.00}; unprotected {r.Unprotected.Ssim:0.0000} / {r.Unprotected.Psnr:0.00}; noise {r.Noise.Ssim:0.0000} / {r.Noise.Psnr:0.00}; mean image {r.MeanImage.Ssim:0.0000} / {r.MeanImage.Psnr:0.00}; {r.Seconds:0.0} s");
            Assert.Equal(40, r.HostView.Images);
            // Measured (seed 3): host view 0.622, unprotected 0.719, noise 0.047, mean image 0.113.
            Assert.True(r.Unprotected.Ssim >= r.BaselineSsim + 0.4, $"unprotected {r.Unprotected.Ssim:0.000} vs baseline {r.BaselineSsim:0.000}");
            Assert.True(r.Unprotected.Ssim - r.Ssim >= 0.04, $"host view {r.Ssim:0.000} vs unprotected {r.Unprotected.Ssim:0.000}");
            Assert.True(r.Ssim >= r.BaselineSsim + 0.3, $"host view {r.Ssim:0.000} vs baseline {r.BaselineSsim:0.000}");
            Assert.InRange(r.RelativeLeakage, 0.0, 1.0);
        }
    }

    [Fact]
    public void LayersTheHostDoesNotSeeAreRefused()
    {
        using var scope = NewDisposeScope();
        AttackScenario scenario = AttackFixtures.Scenario(AttackFixtures.SmallCnn(), out StateDict weights);
        using (weights)
        using (var attack = new FeatureInversionAttack(Small))
        {
            // features.0 has one input channel: a rank-1 split saves nothing, so it runs fully inside the enclave.
            var e = Assert.Throws<ArgumentException>(() => attack.Run(scenario, "features.0"));
            Assert.Contains("not a split convolution", e.Message);
            Assert.Contains("features.3, features.7, features.10", e.Message);
        }
    }
}
