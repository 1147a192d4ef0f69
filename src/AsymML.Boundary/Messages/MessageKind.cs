namespace AsymML.Boundary.Messages;

/// <summary>Every kind of message that may cross the boundary. The list is the design's whole allowance: what the
/// host (untrusted) may receive is <see cref="ConvForward"/> (the residual X^U), <see cref="ConvBackward"/> (dY),
/// <see cref="WeightGradients"/> (dW_T and the batch-summed gradients of public weights), <see cref="Weights"/> (the
/// public weights of split convolutions), <see cref="StepResult"/>
/// (aggregate figures) and <see cref="Error"/>. Private data travels only towards the enclave.</summary>
public enum MessageKind : byte
{
    /// <summary>Host → enclave: the input batch and labels of one step (plaintext here; sealed in a real deployment).</summary>
    ProvisionBatch = 1,

    /// <summary>Host → enclave: run a training or inference step on the provisioned batch.</summary>
    RunStep = 2,

    /// <summary>Enclave → host: the public weights of the split convolutions (at start and after each of the enclave's
    /// optimizer steps). The host may not send it: the enclave holds the authoritative weights.</summary>
    Weights = 3,

    /// <summary>Enclave → host: the residual X^U of a convolution input, to convolve with the layer's weights.</summary>
    ConvForward = 4,

    /// <summary>Host → enclave: Y_U = conv(X^U, W).</summary>
    ConvForwardReply = 5,

    /// <summary>Enclave → host: dY of a convolution output; the host computes dX and dW_U from the residual it kept.</summary>
    ConvBackward = 6,

    /// <summary>Host → enclave: dX of the convolution input and dW_U of the layer's weight.</summary>
    ConvBackwardReply = 7,

    /// <summary>Enclave → host: dW_T of split convolutions and the gradients of the other (public) weights, as applied.</summary>
    WeightGradients = 8,

    /// <summary>Enclave → host: aggregate figures of a finished step (loss, accuracy, timings, memory).</summary>
    StepResult = 9,

    /// <summary>Either way: the other side failed; the text says why.</summary>
    Error = 10,

    /// <summary>Host → enclave: a whole data set in plaintext (plain mode only: the host has seen it).</summary>
    ProvisionData = 11,

    /// <summary>Host → enclave: a sealed data set's header, one ciphertext chunk, or its end; only the enclave can open them.</summary>
    ProvisionSealed = 12,

    /// <summary>Enclave → host: a provisioned data set was opened and checked (its sample count only).</summary>
    DataReady = 13,

    /// <summary>Host → enclave: the next step's batch is these samples of a provisioned data set.</summary>
    SelectBatch = 14,

    /// <summary>Host → enclave: send the trained model (weights and BatchNorm running statistics).</summary>
    ExportRequest = 15,

    /// <summary>Enclave → host: the model's state, an aggregate like the weights (see DESIGN.md), with the optimizer
    /// state and the enclave's tag over both.</summary>
    StateExport = 16,

    /// <summary>Host → enclave: report on the inference steps run on a data set since the last report.</summary>
    EvaluationRequest = 17,

    /// <summary>Enclave → host: confusion matrix (aggregate) and the predictions, sealed to the data owner when a key is set.</summary>
    EvaluationReport = 18,

    /// <summary>Host → enclave: resume from a state the enclave exported (weights, optimizer state, its tag).</summary>
    LoadState = 19,

    /// <summary>Enclave → host: the state of a <see cref="LoadState"/> was loaded (and whether it was authenticated).</summary>
    StateLoaded = 20,
}
