namespace AsymML.Network;

/// <summary>A module cannot be turned into a <see cref="NetworkSpec"/> layer: its type is not one the split engine
/// can execute, or its configuration is not (grouped or dilated convolution, non-square pooling, …).</summary>
public sealed class UnsupportedModuleException : Exception
{
    /// <summary>The layer kinds an import accepts, for messages.</summary>
    public const string Supported =
        "Sequential, Conv2d (zero padding, groups 1, dilation 1), BatchNorm2d (tracking running statistics), ReLU, " +
        "MaxPool2d and AvgPool2d (square, dilation 1), AdaptiveAvgPool2d, Flatten (from dimension 1), Linear, Dropout, " +
        "and torchvision's VGG and ResNet with BasicBlocks";

    /// <summary>Creates the error for the module at <paramref name="modulePath"/>.</summary>
    public UnsupportedModuleException(string modulePath, string moduleType, string reason)
        : base($"Cannot split module '{modulePath}' of type {moduleType}: {reason}. Supported: {Supported}.")
    {
        ModulePath = modulePath;
        ModuleType = moduleType;
    }

    /// <summary>Dotted path of the offending module (<c>(root)</c> for the module passed in).</summary>
    public string ModulePath { get; }

    /// <summary>Full .NET type name of the offending module.</summary>
    public string ModuleType { get; }
}
