namespace AsymML.Execution;

/// <summary>Where the network runs.</summary>
public enum ExecutionMode
{
    /// <summary>The AsymML split: low-rank parts in the enclave, residuals on the accelerator.</summary>
    Asym,

    /// <summary>Everything inside the enclave runtime (the private, slow baseline).</summary>
    TeeOnly,

    /// <summary>Everything on the accelerator in plaintext (the fast baseline, no privacy).</summary>
    UntrustedOnly,
}
