namespace AsymML.Enclave.Integrity;

/// <summary>An accelerator result failed its check: the step stops and nothing is updated.</summary>
public sealed class IntegrityException(string tensor, string layer, long step, double ratio)
    : EnclaveException($"integrity check failed: {tensor} of layer {layer} (step {step}): off by {ratio:G3}× the float rounding allowance")
{
    /// <summary>Y_U, dX or dW_U.</summary>
    public string Tensor => tensor;

    /// <summary>The convolution's path.</summary>
    public string Layer => layer;
}
