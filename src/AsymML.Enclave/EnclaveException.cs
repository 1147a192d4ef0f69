namespace AsymML.Enclave;

/// <summary>The enclave runtime stopped a step: the host misbehaved (wrong reply, wrong shape), failed, or a private
/// budget was exceeded. The message says which layer and why.</summary>
public class EnclaveException(string message, Exception? inner = null) : Exception(message, inner);
