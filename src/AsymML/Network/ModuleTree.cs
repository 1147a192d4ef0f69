using TorchSharp;

namespace AsymML.Network;

/// <summary>Registers modules under dotted paths below a root, creating <see cref="ModuleContainer"/> nodes for the
/// missing intermediate segments, so that a module at <c>layer1.0.downsample.0</c> has exactly that name.</summary>
internal sealed class ModuleTree
{
    private readonly Dictionary<string, torch.nn.Module> _nodes = new(StringComparer.Ordinal);

    public ModuleTree(torch.nn.Module root) => _nodes[""] = root;

    /// <summary>All registered modules by path (containers included; the root is <c>""</c>).</summary>
    public IReadOnlyDictionary<string, torch.nn.Module> Nodes => _nodes;

    public void Register(string path, torch.nn.Module module)
    {
        if (_nodes.ContainsKey(path))
            throw new InvalidOperationException($"Two modules claim the path '{path}'.");
        int dot = path.LastIndexOf('.');
        string parentPath = dot < 0 ? "" : path[..dot];
        Node(parentPath).register_module(path[(dot + 1)..], module);
        _nodes[path] = module;
    }

    private torch.nn.Module Node(string path)
    {
        if (_nodes.TryGetValue(path, out torch.nn.Module? node))
            return node;
        var container = new ModuleContainer(path);
        Register(path, container);
        return container;
    }
}
