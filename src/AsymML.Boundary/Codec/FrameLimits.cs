namespace AsymML.Boundary.Codec;

/// <summary>Bounds every decoded frame must respect; anything beyond is refused before memory is allocated for it.</summary>
/// <param name="MaxFrameBytes">Largest frame payload in bytes (default 2 GiB − 1: a VGG16 batch-32 residual is 411 MB).</param>
/// <param name="MaxRank">Most dimensions a tensor may have.</param>
/// <param name="MaxStringBytes">Longest UTF-8 string (layer and parameter names, error texts).</param>
/// <param name="MaxListCount">Most entries in a list of named tensors.</param>
public sealed record FrameLimits(int MaxFrameBytes = int.MaxValue, int MaxRank = 8, int MaxStringBytes = 65536, int MaxListCount = 4096)
{
    /// <summary>The defaults.</summary>
    public static FrameLimits Default { get; } = new();
}
