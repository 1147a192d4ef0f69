using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AsymML.Convolution;

/// <summary>The ordinary forward convolution with an explicit <see cref="ConvGeometry"/> and validated shapes: what
/// the accelerator runs on the residual (Y_U = conv(X^U, W)) and what the baselines run on the whole input.</summary>
public static class PlainConvolution
{
    /// <summary>Y [B, M, Ho, Wo] = conv(X, W) (+ bias).</summary>
    /// <param name="input">X [B, N, H, W].</param>
    /// <param name="weight">W [M, N, kh, kw], same dtype and device as X.</param>
    /// <param name="bias">Optional bias [M]; null for none.</param>
    /// <param name="geometry">Stride, padding and dilation.</param>
    /// <exception cref="ArgumentException">A shape, dtype, device or geometry does not fit; the message names it.</exception>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias, ConvGeometry geometry)
    {
        ConvChecks.Geometry(geometry);
        ConvChecks.Dims(input, 4, nameof(input), "X [B, N, H, W]");
        ConvChecks.Dims(weight, 4, nameof(weight), "W [M, N, kh, kw]");
        ConvChecks.SameKind((input, nameof(input)), (weight, nameof(weight)));
        ConvChecks.Equal(weight.shape[1], input.shape[1], nameof(weight), "the channel count N (X's dimension 1)");
        if (bias is not null)
        {
            ConvChecks.SameKind((input, nameof(input)), (bias, nameof(bias)));
            if (bias.dim() != 1 || bias.shape[0] != weight.shape[0])
                throw new ArgumentException(
                    $"bias must be [M] = [{weight.shape[0]}]; got {ConvChecks.Shape(bias.shape)}.", nameof(bias));
        }
        geometry.OutputSize(input.shape[2], input.shape[3], weight.shape[2], weight.shape[3]);
        return F.conv2d(input, weight, bias, strides: geometry.Strides, padding: geometry.Paddings, dilation: geometry.Dilations);
    }
}
