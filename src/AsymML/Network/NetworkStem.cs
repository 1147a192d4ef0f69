namespace AsymML.Network;

/// <summary>Which input layout a zoo model is built for.</summary>
public enum NetworkStem
{
    /// <summary>torchvision's exact layout for 224×224 ImageNet images (VGG: 7×7 adaptive pool and the 4096-wide
    /// classifier; ResNet: 7×7/2 convolution and 3×3/2 max-pool).</summary>
    ImageNet,

    /// <summary>Small (e.g. 32×32 CIFAR) images: VGG keeps its features and ends in a 1×1 adaptive pool and one
    /// Linear(512, classes) named <c>classifier</c>; ResNet starts with a 3×3/1 convolution and no max-pool.</summary>
    Cifar,
}
