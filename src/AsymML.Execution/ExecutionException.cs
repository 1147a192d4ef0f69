namespace AsymML.Execution;

/// <summary>A step could not complete: the other side failed or went away. The message says what happened.</summary>
public class ExecutionException(string message, Exception? inner = null) : Exception(message, inner);
