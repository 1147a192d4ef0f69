using AsymML.Network;

namespace AsymML.Tests.Network;

/// <summary>Comparisons and weight perturbations shared by the Network tests.</summary>
internal static class NetworkTestUtil
{
    /// <summary>max |actual − expected| / max |expected|.</summary>
    public static double MaxRelativeDifference(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        double scale = Math.Max(expected.abs().max().item<float>(), 1e-12);
        return (actual - expected).abs().max().item<float>() / scale;
    }

    /// <summary>Same dtype, shape and bytes.</summary>
    public static bool BitIdentical(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape)) return false;
        using Tensor x = a.cpu().contiguous(), y = b.cpu().contiguous();
        return x.bytes.SequenceEqual(y.bytes);
    }

    /// <summary>Same names (in any order) and bit-identical values.</summary>
    public static void AssertBitIdentical(StateDict expected, StateDict actual)
    {
        Assert.Equal(expected.Names.Order(), actual.Names.Order());
        foreach (string name in expected.Names)
            Assert.True(BitIdentical(expected[name], actual[name]), $"{name} differs");
    }

    /// <summary>Gives every BatchNorm of <paramref name="module"/> non-trivial scale, shift and running statistics, so
    /// that evaluation-mode comparisons exercise them.</summary>
    public static void RandomizeBatchNorms(nn.Module module, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            if (child is not TorchSharp.Modules.BatchNorm2d bn) continue;
            bn.weight!.uniform_(0.5, 1.5, generator);
            bn.bias!.normal_(0, 0.2, generator);
            bn.running_mean!.normal_(0, 0.2, generator);
            bn.running_var!.uniform_(0.5, 1.5, generator);
            bn.num_batches_tracked!.fill_(3);
        }
    }

    /// <summary>Named gradients of a module's parameters.</summary>
    public static Dictionary<string, Tensor> Gradients(nn.Module module) =>
        module.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!);
}
