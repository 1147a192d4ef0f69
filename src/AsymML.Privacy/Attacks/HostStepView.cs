using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// What the host received during one step, read from the transcript: the residual X^U of each split convolution, the
/// output gradient dY of each (training steps), the gradients the enclave sent (dW_T of split convolutions, the full
/// batch-summed gradient of every other parameter), the batch-summed gradient the host's optimizer used (those plus
/// the host's own dW_U = grad_W(X^U, dY)) and the mean loss. Owns its tensors.
/// </summary>
public sealed class HostStepView : IDisposable
{
    internal HostStepView(IReadOnlyDictionary<string, Tensor> residuals, IReadOnlyDictionary<string, Tensor> outputGradients,
        IReadOnlyDictionary<string, Tensor> receivedGradients, IReadOnlyDictionary<string, Tensor> summedGradients, double loss, int batchSize)
    {
        Residuals = residuals;
        OutputGradients = outputGradients;
        ReceivedGradients = receivedGradients;
        SummedGradients = summedGradients;
        Loss = loss;
        BatchSize = batchSize;
    }

    /// <summary>X^U [B, N, H, W] (noise-masked when nsr &gt; 0) by convolution path.</summary>
    public IReadOnlyDictionary<string, Tensor> Residuals { get; }

    /// <summary>dY [B, M, H_out, W_out] by convolution path; empty for an inference step.</summary>
    public IReadOnlyDictionary<string, Tensor> OutputGradients { get; }

    /// <summary>The <c>WeightGradients</c> message as received, by parameter name; empty for an inference step.</summary>
    public IReadOnlyDictionary<string, Tensor> ReceivedGradients { get; }

    /// <summary>The batch-summed gradient of every parameter as the host's optimizer uses it (dW_T + dW_U for split
    /// convolutions), by parameter name in the network's order; empty for an inference step.</summary>
    public IReadOnlyDictionary<string, Tensor> SummedGradients { get; }

    /// <summary>Mean cross-entropy of the batch (the step's aggregate result).</summary>
    public double Loss { get; }

    /// <summary>Samples in the batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in Residuals.Values.Concat(OutputGradients.Values).Concat(ReceivedGradients.Values).Concat(SummedGradients.Values).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
            t.Dispose();
    }
}
