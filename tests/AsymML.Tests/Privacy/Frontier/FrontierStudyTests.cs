using AsymML.Network;
using AsymML.Privacy.Attacks;
using AsymML.Privacy.Frontier;
using AsymML.Data;

namespace AsymML.Tests.Privacy.Frontier;

/// <summary>
/// The frontier on tiny data (200 training, 100 test, 100 public, 20 private Fashion-MNIST images, one epoch, decoder
/// width 4, one decoder epoch) gives a well-formed table. Measured with the same budget through the CLI (the full
/// splits, seed 1): untrusted-only, TEE-only, paper and paper+inside:2 34.0% test accuracy; attack SSIM 0.121 (paper,
/// features.3, noise 0.056), 0.070 (paper+inside:2, features.7, noise 0.053); paper;dp=0.01 15.0% accuracy, SSIM
/// 0.088, ε 6.6e4 at δ 1e-5. Thresholds below are structural, or (ε &gt; 1000 for σ 0.01) far from the measured value.
/// </summary>
public class FrontierStudyTests
{
    [Fact]
    public void TinyFrontierIsWellFormed()
    {
        var options = new FrontierOptions
        {
            TrainSamples = 200, TestSamples = 100, Epochs = 1, BatchSize = 32, PublicSamples = 100, PrivateSamples = 20, AttackModelEpochs = 1,
            Decoder = new FeatureInversionOptions(DecoderWidth: 4, Epochs: 1), Seed = 1,
        };
        FrontierSetting[] settings = new[] { "paper", "paper+inside:2", "paper;dp=0.01" }.Select(FrontierSetting.Parse).ToArray();
        NetworkSpec spec = ModelZoo.Create("small-cnn", 1, 10, imageSize: 28);
        FrontierReport report = FrontierStudy.Run(spec, FashionMnist.Load(FashionMnist.TrainSplit, maxSamples: 1000),
            FashionMnist.Load(FashionMnist.TestSplit, maxSamples: 100), settings, options);

        Assert.Equal(["paper", "paper+inside:2", "paper;dp=0.01"], report.Rows.Select(r => r.Setting));
        Assert.Equal(1.0, report.TeeOnly.TrustedTimeRatio, 12);
        Assert.Equal(0, report.UntrustedOnly.EnclaveSeconds);
        foreach (FrontierRow r in report.Rows)
        {
            Assert.True(r.TrainingFailure is null, $"{r.Setting}: {r.TrainingFailure}");
            Assert.InRange(r.TestAccuracy, 0.0, 1.0);
            Assert.True(r.TrustedTimeRatio > 0 && double.IsFinite(r.TrustedTimeRatio), $"{r.Setting}: ratio {r.TrustedTimeRatio}");
            Assert.InRange(r.AttackSsim, -1.0, 1.0);
            Assert.InRange(r.NoiseSsim, -1.0, 1.0);
            Assert.InRange(r.UnprotectedSsim, -1.0, 1.0);
        }
        Assert.Equal("features.3", report.Rows[0].AttackLayer);
        Assert.Equal("features.7", report.Rows[1].AttackLayer); // +inside:2 keeps features.0 and features.3 inside
        Assert.True(double.IsNaN(report.Rows[0].Epsilon));
        FrontierRow dp = report.Rows[2];
        Assert.Equal(0, dp.Releases % 3); // releases come in threes (three split layers per step)
        Assert.True(dp.Releases >= 3);
        Assert.True(dp.Epsilon > 1000, $"σ 0.01 gives no meaningful guarantee: ε {dp.Epsilon}");
        Assert.Equal(1e-5, dp.Delta);
        Assert.All(report.Private, name => Assert.Contains(name, report.Rows.Select(r => r.Setting)));
    }

    [Theory]
    [InlineData("paper;dp=x", "needs a number")]
    [InlineData("paper;clip=3", "add dp=σ")]
    [InlineData("paper;nsr=0.05;dp=1", "cannot be combined")]
    [InlineData("paper;foo=1", "unknown part")]
    [InlineData("paper+outside:2", "+inside:k")]
    public void BadSettingsAreRefused(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => FrontierSetting.Parse(text)).Message);
}
