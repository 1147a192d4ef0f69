namespace AsymML.Privacy.Attacks;

/// <summary>What label leakage reads the labels from.</summary>
public enum LabelSignal
{
    /// <summary>The classifier's batch-summed gradient (the iDLG sign trick; a multiset at batch &gt; 1).</summary>
    ClassifierGradient,

    /// <summary>dY of the last split convolution, per sample.</summary>
    OutputGradient,
}
