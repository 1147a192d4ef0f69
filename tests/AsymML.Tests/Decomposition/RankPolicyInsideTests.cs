using AsymML.Decomposition;
using AsymML.Network;

namespace AsymML.Tests.Decomposition;

/// <summary>The <c>+inside:k</c> suffix keeps the first k convolutions fully in the TEE and round-trips as text.</summary>
public class RankPolicyInsideTests
{
    [Fact]
    public void KeepsTheLeadingConvolutionsInside()
    {
        var layers = ModelZoo.Create("small-cnn", 1, 10, imageSize: 28).Convolutions(28, 28);
        IReadOnlyList<RankAssignment> paper = RankPolicy.Parse("paper").Assign(layers);
        IReadOnlyList<RankAssignment> inside = RankPolicy.Parse("paper+inside:2").Assign(layers);
        Assert.Equal([false, true, true, true], paper.Select(a => a.Split));
        Assert.Equal([false, false, true, true], inside.Select(a => a.Split));
        Assert.Equal(paper.Select(a => a.Rank), inside.Select(a => a.Rank));
        Assert.Contains("+inside:2", inside[1].Reason);
        Assert.Equal("paper+inside:2", RankPolicy.Parse("paper+inside:2").Name);
        Assert.Equal("fixed:8+inside:1", RankPolicy.Parse("fixed:8+inside:1").Name);
        Assert.Equal("paper", RankPolicy.Parse("paper").Name); // the parsed instance is not changed by WithKeptInside
        Assert.Throws<FormatException>(() => RankPolicy.Parse("paper+inside:0"));
    }
}
