namespace AsymML.Boundary.Codec;

/// <summary>A frame broke the format or its limits; the message says which field and how.</summary>
public sealed class FrameFormatException(string message) : IOException(message);
