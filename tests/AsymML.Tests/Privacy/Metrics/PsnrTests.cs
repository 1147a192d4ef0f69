using AsymML.Privacy.Metrics;

namespace AsymML.Tests.Privacy.Metrics;

/// <summary>PSNR against closed forms and scikit-image's <c>peak_signal_noise_ratio</c> (scripts/privacy/ssim-reference.py).</summary>
public class PsnrTests
{
    [Fact]
    public void ConstantErrorGivesTheClosedForm()
    {
        using var scope = NewDisposeScope();
        // MSE 0.01 on range 1: 10·log10(1 / 0.01) = 20 dB; on range 255 with error 25.5: the same ratio.
        Assert.Equal(20.0, Psnr.Mean(zeros(2, 1, 5, 5), full(2, 1, 5, 5, 0.1)), 1e-6);
        Assert.Equal(20.0, Psnr.Mean(zeros(1, 5, 5), full(1, 5, 5, 25.5), dataRange: 255), 1e-6);
    }

    [Fact]
    public void MatchesScikitImage()
    {
        using var scope = NewDisposeScope();
        double[,] x = SsimTests.Pattern(16, 20, 3, 5, 1, 23);
        Assert.Equal(20.759584573797, Psnr.Mean(SsimTests.Image(x), SsimTests.Image(SsimTests.Distorted(x))), 1e-9);
    }

    [Fact]
    public void PerImageAndIdenticalImagesAreInfinite()
    {
        using var scope = NewDisposeScope();
        Tensor values = Psnr.PerImage(cat([zeros(1, 1, 4, 4), zeros(1, 1, 4, 4)], 0), cat([zeros(1, 1, 4, 4), full(1, 1, 4, 4, 0.01)], 0));
        Assert.True(double.IsPositiveInfinity(values[0].ToDouble()));
        Assert.Equal(40.0, values[1].ToDouble(), 1e-6);
        Assert.Throws<ArgumentException>(() => Psnr.Mean(zeros(1, 1, 4, 4), zeros(1, 1, 4, 5)));
    }
}
