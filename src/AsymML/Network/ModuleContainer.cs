using TorchSharp;

namespace AsymML.Network;

/// <summary>A parameterless node of a module tree (e.g. <c>features</c>, <c>layer1</c>, <c>downsample</c>) that only
/// holds children, so that registered names compose to PyTorch paths.</summary>
internal sealed class ModuleContainer : torch.nn.Module
{
    public ModuleContainer(string name) : base(name) { }
}
