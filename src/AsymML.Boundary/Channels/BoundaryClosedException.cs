namespace AsymML.Boundary.Channels;

/// <summary>The other side of the boundary closed the channel or died.</summary>
public sealed class BoundaryClosedException(string message, Exception? inner = null) : IOException(message, inner);
