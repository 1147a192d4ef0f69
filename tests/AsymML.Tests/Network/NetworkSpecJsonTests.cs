using AsymML.Network;
using AsymML.Tests.Execution;

namespace AsymML.Tests.Network;

/// <summary>The JSON form of a network is exact (every field, doubles bit for bit) and its reader is strict.</summary>
public class NetworkSpecJsonTests
{
    public static TheoryData<string> ZooNames() => [.. ModelZoo.Names];

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void EveryZooModelRoundTrips(string name)
    {
        NetworkSpec spec = ModelZoo.Create(name, name == ModelZoo.SmallCnnName ? 1 : 3, 10);
        AssertRoundTrips(spec);
    }

    [Fact]
    public void HandBuiltRoundTrips() => AssertRoundTrips(TestNetworks.HandBuilt());

    [Fact]
    public void EveryFieldOfEveryLayerKindSurvives()
    {
        // Values a lossy writer would round: non-representable decimals, the next double after 1e-5, non-square
        // geometry, every flag in its non-default state.
        var spec = new NetworkSpec("odd", 2,
        [
            new Conv2dLayer("a.conv", 2, 6, 3, 5, 1, 2, 1, 2, hasBias: false),
            new BatchNorm2dLayer("a.bn", 6, eps: Math.BitIncrement(1e-5), momentum: 0.3, affine: false),
            new ReLULayer("a.relu"),
            new MaxPool2dLayer("pool1", 3, stride: 2, padding: 1, ceilMode: true),
            new ResidualBlock("block", [Conv2dLayer.Square("block.c", 6, 6, 3, padding: 1), new DropoutLayer("block.d", 0.1 + 0.2)]),
            new AvgPool2dLayer("pool2", 2, stride: 1, padding: 1, ceilMode: true, countIncludePad: false),
            new AdaptiveAvgPool2dLayer("adapt", 2, 3),
            new FlattenLayer("flat"),
            new LinearLayer("fc", 36, 4, hasBias: false),
        ]);
        NetworkSpec back = AssertRoundTrips(spec);
        var bn = (BatchNorm2dLayer)back["a.bn"];
        Assert.Equal(BitConverter.DoubleToInt64Bits(Math.BitIncrement(1e-5)), BitConverter.DoubleToInt64Bits(bn.Eps));
        Assert.Equal(0.1 + 0.2, ((DropoutLayer)back["block.d"]).P);
        Assert.Equal(spec.InferShapes(9, 11).Select(s => s.Output), back.InferShapes(9, 11).Select(s => s.Output));
    }

    [Theory]
    [InlineData("""{"format":"asymml-network/1","name":"n","inputChannels":1,"layers":[{"kind":"ReLU","path":"r","extra":1}]}""", "$.layers[0]: unknown field 'extra'")]
    [InlineData("""{"format":"asymml-network/1","name":"n","inputChannels":1,"layers":[{"kind":"Linear","path":"fc","inFeatures":3,"bias":true}]}""", "$.layers[0]: the field 'outFeatures' is missing")]
    [InlineData("""{"format":"asymml-network/1","name":"n","inputChannels":1,"layers":[{"kind":"Conv3d","path":"c"}]}""", "$.layers[0].kind: unknown layer kind 'Conv3d'")]
    [InlineData("""{"format":"asymml-network/1","name":"n","inputChannels":1,"layers":[{"kind":"Linear","path":"fc","inFeatures":3.5,"outFeatures":2,"bias":true}]}""", "$.layers[0].inFeatures: expected a 32-bit integer")]
    [InlineData("""{"format":"asymml-network/1","name":"n","inputChannels":1,"layers":[{"kind":"Dropout","path":"d","p":1.5}]}""", "$.layers[0]: Layer 'd': the drop probability must be in [0, 1]")]
    [InlineData("""{"format":"asymml-network/1","name":"n","inputChannels":1,"layers":[{"kind":"Residual","path":"b","body":[{"kind":"Residual","path":"b.c","body":[],"shortcut":[]}],"shortcut":[]}]}""", "$.layers[0].body[0]: residual block 'b.c' is inside another residual block")]
    [InlineData("""{"format":"asymml-network/1","name":"n","inputChannels":1,"layers":[{"kind":"ReLU","path":"r"},{"kind":"ReLU","path":"r"}]}""", "two layers share the path 'r'")]
    [InlineData("""{"format":"asymml-network/2","name":"n","inputChannels":1,"layers":[]}""", "$.format: 'asymml-network/2' is not a network format")]
    [InlineData("""{"format":"asymml-network/1","name":"n","inputChannels":1,"layers":[}""", "not valid JSON")]
    [InlineData("""[1, 2]""", "$: expected the network as a JSON object, found array")]
    public void BadDocumentsAreRefusedWithTheirLocation(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => NetworkSpecJson.Deserialize(json));
        Assert.Contains(expected, e.Message);
    }

    private static NetworkSpec AssertRoundTrips(NetworkSpec spec)
    {
        string json = NetworkSpecJson.Serialize(spec);
        NetworkSpec back = NetworkSpecJson.Deserialize(json);
        Assert.Equal(spec, back);
        Assert.Equal(spec.Layers.Count, back.Layers.Count);
        Assert.Equal(spec.Parameters, back.Parameters);
        Assert.Equal(json, NetworkSpecJson.Serialize(back));
        Assert.Equal(spec, NetworkSpecJson.Deserialize(NetworkSpecJson.Serialize(spec, indented: false)));
        return back;
    }
}
