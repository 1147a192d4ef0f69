namespace AsymML.Tests.Cli;

/// <summary>Tests that redirect the process-wide console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>Runs an action with stdout and stderr captured into one string.</summary>
internal static class ConsoleCapture
{
    public static (int Code, string Output) Run(Func<int> action)
    {
        TextWriter output = Console.Out, error = Console.Error;
        var capture = new StringWriter();
        Console.SetOut(capture);
        Console.SetError(capture);
        try
        {
            int code = action();
            return (code, capture.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }

    /// <summary>Runs an action with stdout and stderr captured apart (help goes to stdout, parse errors to stderr).</summary>
    public static (int Code, string Output, string Error) RunSeparately(Func<int> action)
    {
        TextWriter output = Console.Out, error = Console.Error;
        StringWriter capturedOutput = new(), capturedError = new();
        Console.SetOut(capturedOutput);
        Console.SetError(capturedError);
        try
        {
            int code = action();
            return (code, capturedOutput.ToString(), capturedError.ToString());
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }
    }
}
