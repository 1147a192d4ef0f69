namespace AsymML.Network;

/// <summary>File formats of a <see cref="StateDict"/>.</summary>
public enum StateDictFormat
{
    /// <summary>From the extension: <c>.dat</c> TorchSharp, <c>.pt</c>/<c>.pth</c> PyTorch, <c>.safetensors</c> safetensors.</summary>
    Auto,

    /// <summary>TorchSharp's own format, as written by <c>module.save</c> and read by <c>module.load</c>.</summary>
    TorchSharp,

    /// <summary>PyTorch's zip-based <c>torch.save(model.state_dict())</c> file (through TorchSharp.PyBridge; the legacy
    /// non-zip format is not supported).</summary>
    PyTorch,

    /// <summary>Hugging Face safetensors (through TorchSharp.PyBridge).</summary>
    Safetensors,
}
