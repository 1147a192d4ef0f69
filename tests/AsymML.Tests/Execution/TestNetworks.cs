using AsymML.Network;

namespace AsymML.Tests.Execution;

/// <summary>Small networks that exercise every layer kind the engine must split or keep inside.</summary>
internal static class TestNetworks
{
    /// <summary>A 5×5 stride-2 convolution with bias, BatchNorm, a residual block with a projection shortcut,
    /// average pooling and a classifier: [B, 3, 12, 10] → [B, 5].</summary>
    public static NetworkSpec HandBuilt() => new("hand-built", 3,
    [
        new Conv2dLayer("0", 3, 8, 5, 5, 2, 2, 2, 2, hasBias: true),
        new BatchNorm2dLayer("1", 8),
        new ReLULayer("2"),
        new ResidualBlock("3",
            [
                Conv2dLayer.Square("3.conv1", 8, 16, 3, stride: 1, padding: 1, hasBias: false),
                new BatchNorm2dLayer("3.bn1", 16),
                new ReLULayer("3.relu"),
                Conv2dLayer.Square("3.conv2", 16, 16, 3, stride: 1, padding: 1, hasBias: false),
                new BatchNorm2dLayer("3.bn2", 16),
            ],
            [
                Conv2dLayer.Square("3.downsample.0", 8, 16, 1, hasBias: false),
                new BatchNorm2dLayer("3.downsample.1", 16),
            ]),
        new AvgPool2dLayer("4", 2),
        new FlattenLayer("5"),
        new LinearLayer("6", 16 * 3 * 2, 5),
    ]);
}
