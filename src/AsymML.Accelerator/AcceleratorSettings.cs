using static TorchSharp.torch;

namespace AsymML.Accelerator;

/// <summary>Where and how the untrusted side computes.</summary>
/// <param name="DeviceName">TorchSharp device, e.g. <c>cpu</c> or <c>cuda:0</c> (with a TorchSharp CUDA package).</param>
/// <param name="Threads">Intra-op threads for CPU work (null: TorchSharp's default, the core count).</param>
public sealed record AcceleratorSettings(string DeviceName = "cpu", int? Threads = null)
{
    /// <summary>The device.</summary>
    public Device Device => new(DeviceName);
}
