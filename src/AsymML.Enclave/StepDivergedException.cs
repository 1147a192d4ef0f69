namespace AsymML.Enclave;

/// <summary>A convolution's input in the enclave is no longer finite (the weights diverged): the step cannot be
/// split, its loss is NaN, and nothing is updated. Not a refusal: the host's replies so far were checked.</summary>
internal sealed class StepDivergedException(string layer) : Exception($"the input of '{layer}' is not finite or too large to split (the weights diverged)");
