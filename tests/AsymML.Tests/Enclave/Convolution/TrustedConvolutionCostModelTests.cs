using AsymML.Convolution;
using AsymML.Enclave.Convolution;

namespace AsymML.Tests.Convolution;

public class TrustedConvolutionCostModelTests
{
    [Theory]
    [InlineData(64, 1, TrustedConvolutionStrategy.UnfoldBmm)]
    [InlineData(64, 4, TrustedConvolutionStrategy.UnfoldBmm)]
    [InlineData(64, 5, TrustedConvolutionStrategy.GroupedConvolution)]
    [InlineData(64, 16, TrustedConvolutionStrategy.GroupedConvolution)]
    [InlineData(64, 21, TrustedConvolutionStrategy.GroupedConvolution)]
    [InlineData(64, 22, TrustedConvolutionStrategy.Materialized)]
    [InlineData(64, 32, TrustedConvolutionStrategy.Materialized)]
    [InlineData(64, 64, TrustedConvolutionStrategy.Materialized)]
    [InlineData(3, 1, TrustedConvolutionStrategy.UnfoldBmm)]
    [InlineData(3, 2, TrustedConvolutionStrategy.Materialized)]
    [InlineData(8, 4, TrustedConvolutionStrategy.Materialized)]
    public void ChoosesByRankShareThenRank(int n, int r, TrustedConvolutionStrategy expected)
    {
        var shape = new TrustedConvolutionShape(32, n, 64, r, 32, 32, 3, 3, 32, 32);
        Assert.Equal(expected, TrustedConvolutionCostModel.ChooseForward(shape));
        Assert.Equal(expected, TrustedConvolutionCostModel.ChooseWeightGradient(shape));
    }
}
