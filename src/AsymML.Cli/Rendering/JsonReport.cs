using System.Text.Json;
using AsymML.IO;

namespace AsymML.Cli.Rendering;

/// <summary>Writes a report object as indented camelCase JSON, atomically (no half-written file on failure).</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN: no test set
    };

    public static void Write<T>(string path, T report) =>
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, report, Options));

    public static string ToJson<T>(T report) => JsonSerializer.Serialize(report, Options);
}
