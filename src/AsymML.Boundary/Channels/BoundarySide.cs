namespace AsymML.Boundary.Channels;

/// <summary>The two sides of the boundary.</summary>
public enum BoundarySide : byte
{
    /// <summary>The untrusted host with the accelerator: sees only what crosses.</summary>
    Host = 1,

    /// <summary>The trusted enclave: holds the private tensors.</summary>
    Enclave = 2,
}
