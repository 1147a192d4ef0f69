using AsymML.Data;

namespace AsymML.Tests.Data;

public sealed class BatchTransformTests
{
    private static readonly Normalization Norm = new([0.25, 0.5, 0.75], [0.5, 0.25, 2.0]);

    [Fact]
    public void Eval_IsNormalisationOnly_AndDeterministic()
    {
        using var g = new Generator(1);
        using Tensor x = torch.rand([4, 3, 8, 8], generator: g);
        var transform = new BatchTransform(Augmentation.Cifar, Norm);

        using Tensor e1 = transform.Eval(x);
        using Tensor e2 = transform.Eval(x);
        using Tensor expected = Norm.Apply(x);

        Assert.True(TensorEquality.Same(e1, expected));
        Assert.True(TensorEquality.Same(e2, expected));
        // Spot value: channel 1 is (x - 0.5) / 0.25.
        Assert.Equal((x[2, 1, 3, 4].ToSingle() - 0.5f) / 0.25f, e1[2, 1, 3, 4].ToSingle(), 1e-6f);
    }

    [Fact]
    public void Train_IsAugmentationThenNormalisation_WithTheGeneratorsDraws()
    {
        using var g = new Generator(2);
        using Tensor x = torch.rand([6, 3, 8, 8], generator: g);
        using Tensor before = x.clone();
        var transform = new BatchTransform(Augmentation.Cifar, Norm);
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);

        using Tensor trained = transform.Train(x, g1);
        using Tensor augmented = Augmentation.Cifar.Apply(x, g2);
        using Tensor expected = Norm.Apply(augmented);

        Assert.True(TensorEquality.Same(trained, expected));
        Assert.True(TensorEquality.Same(x, before));
        // The padding is black before normalisation, so a padded pixel of channel 0 reads (0 - 0.25) / 0.5 = -0.5.
        using Tensor min0 = trained[.., 0].min();
        Assert.True(min0.ToSingle() >= -0.5f);
    }

    [Fact]
    public void WithoutNormalisation_EvalCopies_TrainOnlyAugments()
    {
        using Tensor x = torch.ones(2, 1, 4, 4);
        var transform = new BatchTransform(Augmentation.None);
        using var g = new Generator(3);

        using Tensor e = transform.Eval(x);
        using Tensor t = transform.Train(x, g);

        Assert.True(TensorEquality.Same(e, x));
        Assert.True(TensorEquality.Same(t, x));
        Assert.NotEqual(x.Handle, e.Handle);
        Assert.Null(transform.Normalization);
    }
}
