namespace AsymML.Data;

/// <summary>The on-disk formats <see cref="DataSets.Load(string, string, int?)"/> reads.</summary>
public enum DataSetKind
{
    /// <summary>Fashion-MNIST IDX files (<see cref="FashionMnist"/>): 28x28 gray, 10 classes.</summary>
    FashionMnist,

    /// <summary>CIFAR-10 binary batches (<see cref="Cifar10"/>): 32x32 RGB, 10 classes.</summary>
    Cifar10,

    /// <summary>PNG/JPEG files in one folder per class (<see cref="ImageFolder"/>).</summary>
    ImageFolder,
}
