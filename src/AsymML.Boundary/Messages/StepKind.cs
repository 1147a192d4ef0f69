namespace AsymML.Boundary.Messages;

/// <summary>What a step does.</summary>
public enum StepKind : byte
{
    /// <summary>Forward, loss, backward; gradients go to the host's optimizer.</summary>
    Train = 1,

    /// <summary>Forward only, in evaluation mode.</summary>
    Infer = 2,
}
