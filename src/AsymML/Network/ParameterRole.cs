namespace AsymML.Network;

/// <summary>What a state-dict entry is, which also fixes its name suffix.</summary>
public enum ParameterRole
{
    /// <summary><c>.weight</c>: a convolution kernel, a linear matrix or a BatchNorm scale (trainable).</summary>
    Weight,

    /// <summary><c>.bias</c> (trainable).</summary>
    Bias,

    /// <summary><c>.running_mean</c> of a BatchNorm (buffer).</summary>
    RunningMean,

    /// <summary><c>.running_var</c> of a BatchNorm (buffer).</summary>
    RunningVar,

    /// <summary><c>.num_batches_tracked</c> of a BatchNorm: an int64 scalar (buffer).</summary>
    BatchesTracked,
}
