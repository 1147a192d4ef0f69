namespace AsymML.Accelerator;

/// <summary>Optimizers the accelerator runs on the public weights.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with optional momentum, Nesterov and weight decay (PyTorch semantics).</summary>
    Sgd,

    /// <summary>Adam (PyTorch semantics, L2 weight decay).</summary>
    Adam,
}
