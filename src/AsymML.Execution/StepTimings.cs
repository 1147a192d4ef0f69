namespace AsymML.Execution;

/// <summary>Where one step's time went, in seconds. Enclave and accelerator overlap on split convolutions, so
/// the parts may add up to more than the wall time.</summary>
/// <param name="Wall">Wall time of the step.</param>
/// <param name="Enclave">Compute inside the enclave runtime (waiting for the host excluded).</param>
/// <param name="Accelerator">Compute on the untrusted side (convolutions, gradients, optimizer).</param>
/// <param name="Boundary">Encoding, copying and decoding of what crossed.</param>
/// <param name="BoundaryBytes">Bytes of frames that crossed.</param>
/// <param name="Verification">Part of <paramref name="Enclave"/> spent checking the accelerator's results.</param>
/// <param name="WeightCheck">Part of <paramref name="Verification"/> spent checking dW_U.</param>
/// <param name="Update">Part of <paramref name="Enclave"/> spent on the weight update (dW_T + dW_U, the optimizer
/// step, copying the new weights out).</param>
public sealed record StepTimings(double Wall, double Enclave, double Accelerator, double Boundary, long BoundaryBytes, double Verification = 0,
    double WeightCheck = 0, double Update = 0);
