namespace AsymML.Boundary.Channels;

/// <summary>The other side of the boundary closed the channel or died.</summary>
public sealed class BoundaryClosedException(string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>True when the other side closed the channel between two messages (the way a session ends); false when
    /// the channel broke: closed or stalled in the middle of a frame, reset, or disposed on this side.</summary>
    public bool Orderly { get; init; }
}
