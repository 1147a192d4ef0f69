using AsymML.Boundary.Messages;

namespace AsymML.Enclave;

/// <summary>A message from the host that the <see cref="HostGate"/> refused: which message, which field, what was expected.</summary>
public sealed class GateException : EnclaveException
{
    /// <summary>A refused command or field of a message.</summary>
    public GateException(MessageKind kind, string field, string expected)
        : base($"refused {kind}: {field}: expected {expected}.") => (Refused, Field) = (kind.ToString(), field);

    /// <summary>A refused tensor of a reply for a layer.</summary>
    public GateException(string tensor, string layer, string expected)
        : base($"refused {tensor} of layer '{layer}': expected {expected}.") => (Refused, Field) = (tensor, layer);

    /// <summary>The message kind or tensor refused.</summary>
    public string Refused { get; }

    /// <summary>The field (or layer) that broke the rule.</summary>
    public string Field { get; }
}
