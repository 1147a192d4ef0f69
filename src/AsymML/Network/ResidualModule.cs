using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Network;

/// <summary>Plain TorchSharp execution of a <see cref="ResidualBlock"/>: <c>relu(body(x) + shortcut(x))</c>. Its
/// branch modules are registered as its children by <see cref="ModuleTree"/> (names such as <c>conv1</c>,
/// <c>downsample</c>), like torchvision's <c>BasicBlock</c>.</summary>
internal sealed class ResidualModule : nn.Module<Tensor, Tensor>
{
    private nn.Module<Tensor, Tensor>[] _body = [];
    private nn.Module<Tensor, Tensor>[] _shortcut = [];

    public ResidualModule(string name) : base(name) { }

    /// <summary>Sets the branches once their modules have been registered below this one.</summary>
    public void SetBranches(nn.Module<Tensor, Tensor>[] body, nn.Module<Tensor, Tensor>[] shortcut)
    {
        _body = body;
        _shortcut = shortcut;
    }

    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor main = ReferenceModules.Run(_body, input);
        Tensor side = ReferenceModules.Run(_shortcut, input);
        return nn.functional.relu(main + side).MoveToOuterDisposeScope();
    }
}
