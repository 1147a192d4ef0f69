using static TorchSharp.torch;

namespace AsymML.Boundary.Messages;

/// <summary>Host → enclave: dX [B, N, H, W] of a convolution input (or no tensor when it was not asked for) and
/// dW_U [M, N, kh, kw] = grad_W(X^U, dY), the weight gradient of the residual the host convolved. The enclave checks
/// both and adds dW_U to its own dW_T before its optimizer step.</summary>
public sealed record ConvBackwardReply(string ConvLayer, Tensor? InputGradient, Tensor? WeightGradient = null) : BoundaryMessage
{
    /// <inheritdoc />
    public override MessageKind Kind => MessageKind.ConvBackwardReply;

    /// <inheritdoc />
    public override string Layer => ConvLayer;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Tensors => new[] { InputGradient, WeightGradient }.OfType<Tensor>().ToArray();
}
