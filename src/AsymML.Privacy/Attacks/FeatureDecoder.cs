using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// The attacker's inversion network (in the manner of He, Zhang and Lee, ACSAC 2019, "model inversion attacks against
/// collaborative inference", their learning-based attack): a small CNN from what the host sees at a layer,
/// [B, N, h, w], to the image [B, C, H, W] in [0, 1]: conv3×3(N→w)-ReLU at the layer's resolution, nearest upsampling
/// to the image size when h &lt; H, conv3×3(w→w)-ReLU twice, conv3×3(w→C), sigmoid. Initialised from a seed
/// (PyTorch's default uniform bounds, drawn from its own generator: the global seed is neither used nor changed).
/// </summary>
internal sealed class FeatureDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    public FeatureDecoder(long inputChannels, (long Height, long Width) inputSize, (int Channels, int Height, int Width) image, int width, long seed)
        : base("feature-decoder")
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("0", nn.Conv2d(inputChannels, width, 3, padding: 1)),
            ("1", nn.ReLU()),
        };
        if (inputSize != (image.Height, image.Width))
            modules.Add(("2", nn.Upsample(size: [image.Height, image.Width], mode: UpsampleMode.Nearest)));
        modules.Add(("3", nn.Conv2d(width, width, 3, padding: 1)));
        modules.Add(("4", nn.ReLU()));
        modules.Add(("5", nn.Conv2d(width, width, 3, padding: 1)));
        modules.Add(("6", nn.ReLU()));
        modules.Add(("7", nn.Conv2d(width, image.Channels, 3, padding: 1)));
        modules.Add(("8", nn.Sigmoid()));
        _layers = nn.Sequential(modules);
        RegisterComponents();
        Initialize(seed);
    }

    public override Tensor forward(Tensor input) => _layers.call(input);

    /// <summary>Weights and biases uniform in ±1/√fan-in (PyTorch's default for Conv2d), from <paramref name="seed"/>.</summary>
    private void Initialize(long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (Conv2d conv in _layers.children().OfType<Conv2d>())
        {
            Parameter weight = conv.weight!;
            double bound = 1 / Math.Sqrt(weight.shape[1] * weight.shape[2] * weight.shape[3]);
            weight.copy_(rand(weight.shape, generator: generator) * (2 * bound) - bound);
            if (conv.bias is { } bias)
                bias.copy_(rand(bias.shape, generator: generator) * (2 * bound) - bound);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _layers.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// The host's training and decoding, shared by every feature-inversion variant: a decoder from
    /// <paramref name="publicView"/> to images of shape <paramref name="image"/>, trained with Adam on shuffled
    /// mini-batches under <paramref name="loss"/> (the batch's decoder output and the public indices it came from), then
    /// run on <paramref name="privateView"/> in chunks of 100. Views are scaled by one factor, 1 / rms of the public
    /// view, so every layer and baseline starts equally conditioned.
    /// </summary>
    /// <returns>The reconstructions of <paramref name="privateView"/>, [B, C, H, W], in the caller's dispose scope.</returns>
    public static Tensor FitAndReconstruct(Tensor publicView, (int Channels, int Height, int Width) image, Tensor privateView,
        FeatureInversionOptions options, long seed, Func<Tensor, Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        double scale = 1 / Math.Max(publicView.square().mean().sqrt().ToDouble(), 1e-12);
        using var decoder = new FeatureDecoder(publicView.shape[1], (publicView.shape[2], publicView.shape[3]), image, options.DecoderWidth, seed);
        using var optimizer = optim.Adam(decoder.parameters(), options.LearningRate);
        int n = (int)publicView.shape[0];
        var random = new Random(unchecked((int)seed));
        decoder.train();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            long[] order = ImageSets.Range(0, n);
            random.Shuffle(order);
            for (int start = 0; start < n; start += options.BatchSize)
            {
                using var step = NewDisposeScope();
                Tensor indices = tensor(order[start..Math.Min(start + options.BatchSize, n)]);
                Tensor batchLoss = loss(decoder.call(publicView.index_select(0, indices) * scale), indices);
                optimizer.zero_grad();
                batchLoss.backward();
                optimizer.step();
            }
        }
        decoder.eval();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (int start = 0; start < privateView.shape[0]; start += 100)
            parts.Add(decoder.call(privateView.narrow(0, start, Math.Min(100, privateView.shape[0] - start)) * scale));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
