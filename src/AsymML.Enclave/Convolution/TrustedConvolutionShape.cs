using AsymML.Convolution;

namespace AsymML.Enclave.Convolution;

/// <summary>The sizes of one trusted (low-rank) convolution, as the cost model sees them.</summary>
/// <param name="Batch">B.</param>
/// <param name="InChannels">N.</param>
/// <param name="OutChannels">M.</param>
/// <param name="Rank">r, the number of principal maps per sample.</param>
/// <param name="Height">H of the input maps.</param>
/// <param name="Width">W of the input maps.</param>
/// <param name="KernelH">kh.</param>
/// <param name="KernelW">kw.</param>
/// <param name="OutputHeight">Ho.</param>
/// <param name="OutputWidth">Wo.</param>
public readonly record struct TrustedConvolutionShape(long Batch, long InChannels, long OutChannels, long Rank,
    long Height, long Width, long KernelH, long KernelW, long OutputHeight, long OutputWidth);
