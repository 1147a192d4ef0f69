namespace AsymML.Boundary.Messages;

/// <summary>Every kind of message that may cross the boundary. The list is the design's whole allowance: what the
/// host (untrusted) may receive is <see cref="ConvForward"/> (the residual X^U), <see cref="ConvBackward"/> (dY),
/// <see cref="WeightGradients"/> (dW_T and the batch-summed gradients of public weights), <see cref="StepResult"/>
/// (aggregate figures) and <see cref="Error"/>. Private data travels only towards the enclave.</summary>
public enum MessageKind : byte
{
    /// <summary>Host → enclave: the input batch and labels of one step (plaintext here; sealed in a real deployment).</summary>
    ProvisionBatch = 1,

    /// <summary>Host → enclave: run a training or inference step on the provisioned batch.</summary>
    RunStep = 2,

    /// <summary>Host → enclave: weights (after an optimizer step, or at start).</summary>
    Weights = 3,

    /// <summary>Enclave → host: the residual X^U of a convolution input, to convolve with the layer's weights.</summary>
    ConvForward = 4,

    /// <summary>Host → enclave: Y_U = conv(X^U, W).</summary>
    ConvForwardReply = 5,

    /// <summary>Enclave → host: dY of a convolution output; the host computes dX and dW_U from the residual it kept.</summary>
    ConvBackward = 6,

    /// <summary>Host → enclave: dX of the convolution input.</summary>
    ConvBackwardReply = 7,

    /// <summary>Enclave → host: dW_T of split convolutions and the gradients of the other (public) weights.</summary>
    WeightGradients = 8,

    /// <summary>Enclave → host: aggregate figures of a finished step (loss, accuracy, timings, memory).</summary>
    StepResult = 9,

    /// <summary>Either way: the other side failed; the text says why.</summary>
    Error = 10,
}
