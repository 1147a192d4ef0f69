using AsymML.Privacy.Attacks;

namespace AsymML.Tests.Privacy.Attacks;

/// <summary>Reconstructions of a batch are paired with the true images of largest total SSIM, whatever their order.</summary>
public class ImageAssignmentTests
{
    [Fact]
    public void APermutedBatchIsPutBackInOrder()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        Tensor truth = rand([6, 1, 16, 16], generator: g);
        long[] permutation = [4, 0, 5, 2, 1, 3];
        Tensor shuffled = truth.index_select(0, tensor(permutation)) + 0.05 * randn([6, 1, 16, 16], generator: g);
        Tensor matched = ImageAssignment.Match(shuffled, truth);
        Assert.True((matched - truth).abs().max().ToDouble() < 0.5);
        for (int i = 0; i < 6; i++)
            Assert.True(((matched[i] - truth[i]).square().mean().ToDouble()) < 0.01, $"image {i}");
    }
}
