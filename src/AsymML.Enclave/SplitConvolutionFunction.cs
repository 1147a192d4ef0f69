using static TorchSharp.torch;
using static TorchSharp.torch.autograd;
using AsymML.Enclave.Masking;

namespace AsymML.Enclave;

/// <summary>
/// Autograd glue of a split convolution: everything around it (BatchNorm, ReLU, pooling, residual adds, the
/// classifier, the loss) runs on ordinary autograd inside the enclave. Arguments: input, weight, bias (or null),
/// the <see cref="TrustedConv2d"/>. Gradients returned: dX (from the host), dW_T (the host adds dW_U before the
/// optimizer step), the bias gradient. TorchSharp aborts the process if an exception escapes backward, so failures
/// are parked in the runtime's context and rethrown after <c>backward()</c> returns.
/// </summary>
internal sealed class SplitConvolutionFunction : SingleTensorFunction<SplitConvolutionFunction>
{
    public override string Name => "AsymML.SplitConv2d";

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var conv = (TrustedConv2d)vars[3];
        (Tensor output, Tensor u, Tensor v, ResidualMixing? mixing) = conv.SplitForward(input);
        ctx.save_for_backward([u, v]);
        ctx.save_data("mixing", mixing!); // null without masking
        ctx.save_data("conv", conv);
        ctx.save_data("inputShape", input.shape);
        ctx.save_data("needInputGradient", input.requires_grad);
        return output;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var conv = (TrustedConv2d)ctx.get_data("conv");
        var inputShape = (long[])ctx.get_data("inputShape");
        var needInput = (bool)ctx.get_data("needInputGradient");
        List<Tensor> saved = ctx.get_saved_variables();
        try
        {
            var mixing = (ResidualMixing?)ctx.get_data("mixing");
            (Tensor? dx, Tensor dw, Tensor? db) = conv.SplitBackward(saved[0], saved[1], grad_output, inputShape, needInput, mixing);
            return [dx!, dw, db!, null!];
        }
        catch (Exception e)
        {
            conv.Fail(e);
            return [needInput ? zeros(inputShape) : null!, zeros_like(conv.Weight), conv.Bias is null ? null! : zeros_like(conv.Bias), null!];
        }
    }
}
