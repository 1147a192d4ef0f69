namespace AsymML.Convolution;

/// <summary>How <see cref="ConvolutionGradients"/> computes dX and dW.</summary>
public enum ConvolutionGradientMethod
{
    /// <summary>ATen's <c>convolution_backward</c> through a TorchScript unit compiled once: the very kernel autograd
    /// runs, so results are bit-identical to autograd's. The default.</summary>
    ConvolutionBackward,

    /// <summary>Forward operators only: dX = <c>conv_transpose2d(dY, W)</c> with the output_padding that restores
    /// the input size; dW = a convolution with the batch as channels. Agrees with autograd to float rounding; runs on
    /// oneDNN's kernels like <see cref="ConvolutionBackward"/>.</summary>
    Fallback,

    /// <summary>im2col / col2im and one BLAS matrix product (dX = col2im(Wᵀ·dY), dW = Σ_b dY_b·im2col(X_b)ᵀ): no
    /// oneDNN convolution kernel at all. Slower and more memory-hungry (the unfolded input is kh·kw times larger), but
    /// correct where oneDNN's JIT kernels are not. Measured on the project's AMD EPYC (AVX-512) VMs with libtorch
    /// 2.10 / oneDNN 3.7.1: float32 stride-1 input gradients whenever M is not a multiple of 16 (e.g. M = 6) come out
    /// wrong or NaN from <c>convolution_backward</c>, <c>conv_transpose2d</c> and autograd alike (float64 is right, and
    /// so is float32 when the process starts with <c>ONEDNN_MAX_CPU_ISA=SSE41</c>).</summary>
    Im2Col,
}
