using AsymML.Boundary.Session;
using AsymML.Convolution;
using AsymML.Enclave.Integrity;
using Xunit.Abstractions;

namespace AsymML.Tests.Enclave.Integrity;

/// <summary>The Freivalds-style checks of Y_U, dX and dW_U: honest float32 results pass with a wide margin on every layer shape of the
/// model zoo's networks, and each way of lying fails on its first check.</summary>
public sealed class ResultVerifierTests(ITestOutputHelper output)
{
    /// <summary>(B, N, M, H, k, stride, padding): small-cnn and VGG16-CIFAR-like layers, a strided ResNet one.</summary>
    public static TheoryData<int, int, int, int, int, int, int> Layers() => new()
    {
        { 16, 32, 32, 28, 3, 1, 1 },
        { 16, 32, 64, 14, 3, 1, 1 },
        { 8, 64, 128, 16, 3, 1, 1 },
        { 4, 256, 256, 8, 3, 1, 1 },
        { 2, 512, 512, 4, 3, 1, 1 },
        { 8, 64, 128, 16, 3, 2, 1 },
        { 8, 64, 64, 16, 1, 1, 0 },
    };

    private static (Tensor X, Tensor W) Inputs(int b, int n, int m, int h, int k, int seed)
    {
        using var g = new Generator((ulong)seed);
        Tensor x = randn([b, n, h, h], generator: g).relu_(); // ReLU'd activations: half exact zeros
        Tensor w = randn([m, n, k, k], generator: g).mul_(Math.Sqrt(2.0 / (n * k * k)));
        return (x, w);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void HonestFloat32ResultsPassWithAWideMargin(int b, int n, int m, int h, int k, int stride, int padding)
    {
        using var scope = NewDisposeScope();
        ConvGeometry g = ConvGeometry.Square(stride, padding);
        (Tensor x, Tensor w) = Inputs(b, n, m, h, k, seed: n + m + k);
        Tensor y = PlainConvolution.Forward(x, w, null, g);
        Tensor dy = randn_like(y);
        Tensor dx = ConvolutionGradients.InputGradient(dy, w, x.shape, g);
        // dW_U as the accelerator computes it: with dX, in one convolution_backward.
        (_, Tensor dw) = ConvolutionGradients.InputAndWeightGradients(x, dy, w, g);
        using var verifier = new ResultVerifier(VerificationSettings.All);
        double forward = 0, backward = 0, weight = 0;
        for (int i = 0; i < 5; i++)
        {
            forward = Math.Max(forward, verifier.ForwardDeviation(x, w, y, g));
            backward = Math.Max(backward, verifier.InputGradientDeviation(dy, w, dx, g));
            weight = Math.Max(weight, verifier.WeightGradientDeviation(x, dy, dw, g));
        }
        output.WriteLine($"B{b} N{n} M{m} H{h} k{k} s{stride}: honest Y_U {forward:F3}, dX {backward:F3}, dW_U {weight:F3} allowances (fails above {ResultVerifier.Slack})");
        Assert.InRange(forward, 0, ResultVerifier.Slack / 8); // measured ≤ 1.9: a tenth of the slack keeps false alarms out of reach
        Assert.InRange(backward, 0, ResultVerifier.Slack / 8);
        // dW_U measured ≤ 4.0 (2 × 512 → 512, 4 × 4: the combination over 512 channels is most of the rounding): a
        // quarter of the slack, still 4 times below failure.
        Assert.InRange(weight, 0, ResultVerifier.Slack / 4);
    }

    [Fact]
    public void AllZeroGradientsPassAndANonZeroClaimAgainstThemFails()
    {
        // A layer whose dY is exactly 0 (a batch of one behind a dead ReLU): both sides and the allowance are 0.
        using var scope = NewDisposeScope();
        ConvGeometry g = ConvGeometry.Square(1, 1);
        (Tensor x, Tensor w) = Inputs(1, 8, 16, 6, 3, seed: 9);
        Tensor dy = zeros(1, 16, 6, 6);
        using var verifier = new ResultVerifier(VerificationSettings.All);
        Assert.Equal(0, verifier.WeightGradientDeviation(x, dy, zeros_like(w), g));
        Assert.Equal(0, verifier.InputGradientDeviation(dy, w, zeros_like(x), g));
        Assert.Throws<IntegrityException>(() => verifier.WeightGradient("features.10", 1, x, dy, full_like(w, 1e-3), g));
    }

    public static TheoryData<string> Lies() => ["scale 1.01", "noise 1%", "zero", "sign flip", "replay", "one channel", "one sample", "one element"];

    [Theory]
    [MemberData(nameof(Lies))]
    public void EveryLieFailsOnItsFirstCheck(string lie)
    {
        using var scope = NewDisposeScope();
        ConvGeometry g = ConvGeometry.Square(1, 1);
        (Tensor x, Tensor w) = Inputs(16, 32, 64, 14, 3, seed: 3);
        (Tensor earlier, _) = Inputs(16, 32, 64, 14, 3, seed: 4);
        Tensor y = PlainConvolution.Forward(x, w, null, g);
        Tensor dy = randn_like(y);
        Tensor dx = ConvolutionGradients.InputGradient(dy, w, x.shape, g);
        Tensor Lie(Tensor t, Tensor replayed) => lie switch
        {
            "scale 1.01" => t * 1.01,
            "noise 1%" => t + randn_like(t) * t.std() * 0.01,
            "zero" => zeros_like(t),
            "sign flip" => -t,
            "replay" => replayed,
            "one channel" => t.clone().index_put_(t[.., 5] + randn_like(t[.., 5]) * t.std() * 0.01, TensorIndex.Colon, TensorIndex.Single(5)),
            "one sample" => t.clone().index_put_(t[3] + randn_like(t[3]) * t.std() * 0.01, TensorIndex.Single(3)),
            _ => t.clone().index_put_(t[2, 7, t.shape[2] / 2, t.shape[3] / 2] + t.std(), TensorIndex.Single(2), TensorIndex.Single(7),
                TensorIndex.Single(t.shape[2] / 2), TensorIndex.Single(t.shape[3] / 2)),
        };
        using var verifier = new ResultVerifier(VerificationSettings.All);

        var forward = Assert.Throws<IntegrityException>(() =>
            verifier.Forward("features.3", 7, x, w, Lie(y, PlainConvolution.Forward(earlier, w, null, g)), g));
        var backward = Assert.Throws<IntegrityException>(() =>
            verifier.InputGradient("features.3", 7, dy, w, Lie(dx, ConvolutionGradients.InputGradient(randn_like(dy), w, x.shape, g)), g));

        Tensor dw = ConvolutionGradients.WeightGradient(x, dy, w.shape, g);
        var weight = Assert.Throws<IntegrityException>(() =>
            verifier.WeightGradient("features.3", 7, x, dy, Lie(dw, ConvolutionGradients.WeightGradient(earlier, dy, w.shape, g)), g));

        Assert.StartsWith("integrity check failed: Y_U of layer features.3 (step 7)", forward.Message);
        Assert.StartsWith("integrity check failed: dX of layer features.3 (step 7)", backward.Message);
        Assert.StartsWith("integrity check failed: dW_U of layer features.3 (step 7)", weight.Message);
        output.WriteLine($"{lie}: {forward.Message} | {backward.Message} | {weight.Message}");
    }
}
