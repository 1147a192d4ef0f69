namespace AsymML.Optimization;

/// <summary>Optimizers the enclave runs on the authoritative weights (and the untrusted-only baseline on the host).</summary>
public enum OptimizerKind
{
    /// <summary>SGD with optional momentum, Nesterov and weight decay (PyTorch semantics).</summary>
    Sgd,

    /// <summary>Adam (PyTorch semantics, L2 weight decay).</summary>
    Adam,
}
