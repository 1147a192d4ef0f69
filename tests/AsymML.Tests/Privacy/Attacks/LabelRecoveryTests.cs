using AsymML.Network;
using AsymML.Privacy.Attacks;

namespace AsymML.Tests.Privacy.Attacks;

/// <summary>The label-recovery rules on hand-made gradients.</summary>
public class LabelRecoveryTests
{
    private static readonly NetworkSpec Spec = AttackFixtures.Tiny();

    private static Dictionary<string, Tensor> Bias(params double[] values) => new()
    {
        ["6.bias"] = tensor(values, ScalarType.Float32),
        ["6.weight"] = zeros(values.Length, 8 * 14 * 14),
    };

    [Fact]
    public void NegativeEntriesArePresentAndTheRestGoesByMagnitude()
    {
        using var scope = NewDisposeScope();
        // Batch 1: the one negative entry. Batch 4: classes 2 and 7 present, 7 twice as negative: 7, 7, 2 and one more for 7 (D'Hondt: 3/3 ≥ 1.5/2 … ).
        Assert.Equal([3L], LabelRecovery.MultisetFromClassifierGradient(Spec, Bias(0.1, 0.1, 0.1, -0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1), 1));
        int[] counts = LabelRecovery.CountsFromClassifierGradient(Spec, Bias(0.5, 0.5, -1, 0.5, 0.5, 0.5, 0.5, -3, 0.5, 0.5), 4);
        Assert.Equal(4, counts.Sum());
        Assert.Equal(1, counts[2]);
        Assert.Equal(3, counts[7]);
        // More negative entries than samples: the most negative ones.
        Assert.Equal([1L, 4L], LabelRecovery.MultisetFromClassifierGradient(Spec, Bias(-0.1, -0.5, -0.2, 0.3, -0.9, 0.1, 0.1, 0.1, 0.1, 0.1), 2));
    }

    [Fact]
    public void WithoutABiasTheWeightRowSumsDecide()
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = new("no-bias", 1, [.. Spec.Layers.Take(6), new LinearLayer("6", 8 * 14 * 14, 10, hasBias: false)]);
        Tensor w = ones(10, 8 * 14 * 14) * 0.01;
        w[5] = -0.02 * ones(8 * 14 * 14);
        Assert.Equal([5L], LabelRecovery.MultisetFromClassifierGradient(spec, new Dictionary<string, Tensor> { ["6.weight"] = w }, 1));
    }

    [Fact]
    public void OutputGradientProjectsOnTheClassifierRows()
    {
        using var scope = NewDisposeScope();
        using StateDict weights = StateDict.Initialize(Spec, 5);
        // dY that routes −W_y back through the 2×2 max-pool (one position per window), for labels 4 and 9.
        Tensor w = weights["6.weight"];
        Tensor pooled = -stack([w[4], w[9]]).view(2, 8, 14, 14);
        Tensor dy = zeros(2, 8, 28, 28);
        dy[.., .., TensorIndex.Slice(0, null, 2), TensorIndex.Slice(1, null, 2)] = pooled;
        Assert.Equal([4L, 9L], LabelRecovery.PerSampleFromOutputGradient(Spec, weights, "2", dy));
        Assert.Throws<NotSupportedException>(() => LabelRecovery.PerSampleFromOutputGradient(Spec, weights, "0", zeros(1, 4, 28, 28)));
    }
}
