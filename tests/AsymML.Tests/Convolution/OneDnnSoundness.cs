using F = TorchSharp.torch.nn.functional;

namespace AsymML.Tests.Convolution;

/// <summary>
/// Whether this machine's float32 oneDNN convolution kernels are right for the shapes the gradient methods feed
/// them. On the project's AMD EPYC (AVX-512) VMs with libtorch 2.10 / oneDNN 3.7.1 they are not: stride-1
/// transposed convolutions (the dX kernel) whenever M is not a multiple of 16, and some forward convolutions (e.g.
/// a 3-channel kernel as large as the map, as in the batch-as-channels dW), give wrong values or NaN,
/// intermittently with two threads; float64 and <c>ONEDNN_MAX_CPU_ISA=SSE41</c> are right. Float32 tests of the
/// gradient methods built on those kernels assert only where the probe passes; float64 tests cover the same code
/// paths everywhere, and the im2col method is asserted in float32 everywhere.
/// </summary>
internal static class OneDnnSoundness
{
    private static readonly Lazy<bool> Sound = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool IsSound => Sound.Value;

    public const string Note =
        "float32 oneDNN convolution kernels disagree with float64 on this machine (oneDNN JIT defect on these VMs); " +
        "this method is asserted in float64 only";

    /// <summary>Unsound if any probe misses its float64 value by more than 1e-5 relative in any of four attempts.</summary>
    private static bool Probe()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(2024);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            foreach (int k in new[] { 3, 5, 7 })
            {
                Tensor w = randn(6, 9, k, k, generator: g), dY = randn(3, 6, 13, 9, generator: g);
                if (!Agrees(t => F.conv_transpose2d(t[0], t[1], padding: [k / 2, k / 2]), dY, w)) return false;
            }
            Tensor x = randn(12, 3, 13, 9, generator: g), kernel = randn(6, 3, 13, 9, generator: g);
            if (!Agrees(t => F.conv2d(t[0], t[1]), x, kernel)) return false;
        }
        return true;
    }

    private static bool Agrees(Func<Tensor[], Tensor> op, params Tensor[] inputs)
    {
        Tensor expected = op([.. inputs.Select(t => t.to(ScalarType.Float64))]);
        return ConvCase.RelativeError(op(inputs), expected) <= 1e-5;
    }
}
