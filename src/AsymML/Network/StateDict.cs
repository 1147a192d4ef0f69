using System.Collections;
using System.Diagnostics.CodeAnalysis;
using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Network;

/// <summary>
/// An ordered name → tensor map of a network's parameters and BatchNorm buffers, named as PyTorch names them. It owns
/// its tensors (they are kept out of every dispose scope) and frees them on <see cref="Dispose"/>. Create one from a
/// spec (<see cref="Initialize(NetworkSpec, Generator)"/>), from a module (<see cref="FromModule"/>) or from a file
/// (<see cref="Load(string, StateDictFormat)"/>); copy it into a module with <see cref="CopyTo"/>.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="entries"/> (in that order); names must be unique.</summary>
    public StateDict(IEnumerable<KeyValuePair<string, Tensor>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (name, tensor) in entries)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
            ArgumentNullException.ThrowIfNull(tensor);
            if (!_tensors.TryAdd(name, tensor))
                throw new ArgumentException($"The state dict has two entries named '{name}'.", nameof(entries));
            _names.Add(name);
            tensor.DetachFromDisposeScope();
        }
    }

    /// <summary>The floating type of the entries: float32 normally, float64 for exactness checks (all floating entries
    /// must share it).</summary>
    public ScalarType FloatType => _tensors.Values.Select(t => t.dtype).FirstOrDefault(t => t is ScalarType.Float64 or ScalarType.Float32, ScalarType.Float32);

    /// <summary>Entry names in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Fresh parameters for <paramref name="spec"/>, drawn from <paramref name="generator"/> in the spec's
    /// parameter order (so a generator seeded alike gives identical tensors): convolution weights Kaiming-normal with
    /// fan-out and ReLU gain as torchvision (std √(2 / (M·kH·kW))), convolution biases 0; BatchNorm weight 1, bias 0,
    /// running mean 0, running variance 1, batches tracked 0; Linear weight and bias uniform in ±1/√in (PyTorch's
    /// <c>nn.Linear</c> default). The global <c>torch.manual_seed</c> is neither used nor changed.</summary>
    public static StateDict Initialize(NetworkSpec spec, Generator generator) => new(ParameterInitializer.Create(spec, generator));

    /// <summary><see cref="Initialize(NetworkSpec, Generator)"/> with a new <c>torch.Generator(seed)</c>.</summary>
    public static StateDict Initialize(NetworkSpec spec, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return Initialize(spec, generator);
    }

    /// <summary>All state-dict entries of <paramref name="module"/>, in PyTorch's order (each module's parameters, then
    /// its buffers, then its children): detached copies, or with <paramref name="copy"/> false detached aliases that
    /// share the module's memory (no allocation; they follow the module's later updates).</summary>
    public static StateDict FromModule(nn.Module module, bool copy = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        Dictionary<string, Tensor> state = module.state_dict();
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string name in PyTorchOrder(module, ""))
            order.TryAdd(name, order.Count);
        IEnumerable<string> names = state.Keys.Select((name, i) => (name, i))
            .OrderBy(x => order.TryGetValue(x.name, out int at) ? at : int.MaxValue).ThenBy(x => x.i).Select(x => x.name);
        using (no_grad())
            return new StateDict(names.Select(name => new KeyValuePair<string, Tensor>(name, copy ? state[name].detach().clone() : state[name].detach())).ToList());
    }

    /// <summary>Reads a file written by this class, by TorchSharp's <c>module.save</c>, or by PyTorch
    /// (<c>torch.save(state_dict)</c> or safetensors). A pickled <c>.pt</c> dict loses its order: its entries come back
    /// sorted by path (numeric segments by value); pass the spec to get the spec's order.</summary>
    /// <exception cref="InvalidDataException">The file is not a state dict of that format.</exception>
    public static StateDict Load(string path, StateDictFormat format = StateDictFormat.Auto)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new StateDict(StateDictFiles.Read(path, StateDictFiles.Resolve(path, format)));
    }

    /// <summary>Reads a file and checks it against <paramref name="spec"/> (see <see cref="Validate"/>); the entries
    /// come back in the spec's order.</summary>
    public static StateDict Load(string path, NetworkSpec spec, StateDictFormat format = StateDictFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using StateDict loaded = Load(path, format);
        return loaded.MoveToSpecOrder(spec);
    }

    /// <summary>Writes the entries (moved to the CPU) to <paramref name="path"/>; the file appears whole or not at all.</summary>
    public void Save(string path, StateDictFormat format = StateDictFormat.Auto)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        StateDictFiles.Write(path, StateDictFiles.Resolve(path, format), _names.Select(n => new KeyValuePair<string, Tensor>(n, _tensors[n])).ToList());
    }

    /// <summary>Copies the values into the parameters and buffers of <paramref name="module"/>; names, shapes and
    /// element types must match one to one. Nothing is copied when they do not.</summary>
    /// <exception cref="ArgumentException">The names, shapes or element types differ; the message lists them.</exception>
    public void CopyTo(nn.Module module)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(module);
        Dictionary<string, Tensor> target = module.state_dict();
        var problems = Differences(target.ToDictionary(kv => kv.Key, kv => (kv.Value.shape, kv.Value.dtype)), "module");
        if (problems.Count > 0)
            throw new ArgumentException($"The state dict does not fit module '{module.GetName()}': {Summarise(problems)}", nameof(module));
        using (no_grad())
            foreach (string name in _names)
                target[name].copy_(_tensors[name]);
    }

    /// <summary>Checks that the entries are exactly <paramref name="spec"/>'s parameters, with their shapes and types.</summary>
    /// <exception cref="InvalidDataException">They are not; the message lists the differences.</exception>
    public void Validate(NetworkSpec spec)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(spec);
        ScalarType floating = FloatType;
        var expected = spec.Parameters.ToDictionary(p => p.Name, p => (p.Shape.ToArray(), p.DType == ScalarType.Float32 ? floating : p.DType));
        var problems = Differences(expected, $"network '{spec.Name}'");
        if (problems.Count > 0)
            throw new InvalidDataException($"The state dict does not fit network '{spec.Name}': {Summarise(problems)}");
    }

    /// <summary>Validates against <paramref name="spec"/> and moves the tensors into a new dict in the spec's order;
    /// this one is left empty.</summary>
    internal StateDict MoveToSpecOrder(NetworkSpec spec)
    {
        Validate(spec);
        var result = new StateDict(spec.Parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, _tensors[p.Name])).ToList());
        _names.Clear();
        _tensors.Clear();
        return result;
    }

    /// <summary>A deep copy.</summary>
    public StateDict Clone()
    {
        ThrowIfDisposed();
        using (no_grad())
            return new StateDict(_names.Select(n => new KeyValuePair<string, Tensor>(n, _tensors[n].detach().clone())).ToList());
    }

    /// <inheritdoc />
    public Tensor this[string key] => _tensors.TryGetValue(key, out Tensor? t) ? t : throw new KeyNotFoundException($"The state dict has no entry '{key}'.");

    /// <inheritdoc />
    public IEnumerable<string> Keys => _names;

    /// <inheritdoc />
    public IEnumerable<Tensor> Values => _names.Select(n => _tensors[n]);

    /// <inheritdoc />
    public int Count => _names.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _tensors.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        _names.Select(n => new KeyValuePair<string, Tensor>(n, _tensors[n])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (Tensor tensor in _tensors.Values)
            tensor.Dispose();
        _tensors.Clear();
        _names.Clear();
    }

    private List<string> Differences(Dictionary<string, (long[] Shape, ScalarType DType)> expected, string what)
    {
        var missing = new List<string>();
        var mismatched = new List<string>();
        foreach (var (name, (shape, dtype)) in expected)
        {
            if (!_tensors.TryGetValue(name, out Tensor? mine))
                missing.Add($"'{name}'");
            else if (!mine.shape.SequenceEqual(shape))
                mismatched.Add($"'{name}' has shape [{string.Join(", ", mine.shape)}], the {what} needs [{string.Join(", ", shape)}]");
            else if (mine.dtype != dtype)
                mismatched.Add($"'{name}' is {mine.dtype}, the {what} needs {dtype}");
        }
        var unexpected = _names.Where(n => !expected.ContainsKey(n)).Select(n => $"'{n}'").ToList();
        var problems = new List<string>();
        if (missing.Count > 0) problems.Add($"{missing.Count} missing ({List(missing)})");
        if (unexpected.Count > 0) problems.Add($"{unexpected.Count} not in the {what} ({List(unexpected)})");
        if (mismatched.Count > 0) problems.Add($"{mismatched.Count} of another shape or type ({List(mismatched)})");
        return problems;
    }

    private static string List(List<string> items) => string.Join(", ", items.Take(4)) + (items.Count > 4 ? $", … {items.Count - 4} more" : "");

    private static string Summarise(List<string> problems) => string.Join("; ", problems) + ".";

    private static IEnumerable<string> PyTorchOrder(nn.Module module, string prefix)
    {
        foreach (var (name, _) in module.named_parameters(recurse: false))
            yield return prefix + name;
        foreach (var (name, _) in module.named_buffers(recurse: false, include_nonpersistent: false))
            yield return prefix + name;
        foreach (var (name, child) in module.named_children())
            foreach (string inner in PyTorchOrder(child, prefix + name + "."))
                yield return inner;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
