using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>A tensor with its parameter name (PyTorch state-dict style, e.g. <c>features.0.weight</c>).</summary>
/// <param name="Name">Parameter name.</param>
/// <param name="Value">The tensor.</param>
public sealed record NamedTensor(string Name, Tensor Value);
