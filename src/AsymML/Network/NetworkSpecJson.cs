using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AsymML.Network;

/// <summary>
/// Exact JSON form of a <see cref="NetworkSpec"/>: every layer kind with every field, numbers in round-trip form, so
/// <c>Deserialize(Serialize(spec))</c> equals <c>spec</c>. The reader is strict: a missing field, an unknown field
/// (a typo), a wrong type or a value a layer refuses is an <see cref="InvalidDataException"/> that names where it is.
/// <code>
/// { "format": "asymml-network/1", "name": "hand-built", "inputChannels": 3, "layers": [
///   { "kind": "Conv2d", "path": "0", "inChannels": 3, "outChannels": 8, "kernel": [5, 5], "stride": [2, 2],
///     "padding": [2, 2], "dilation": 1, "bias": true },
///   { "kind": "Residual", "path": "3", "body": [ ... ], "shortcut": [ ... ] }, ... ] }
/// </code>
/// </summary>
public static class NetworkSpecJson
{
    /// <summary>The value of the <c>format</c> field this version writes and reads.</summary>
    public const string Format = "asymml-network/1";

    /// <summary>The spec as a JSON document (indented unless <paramref name="indented"/> is false).</summary>
    public static string Serialize(NetworkSpec spec, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            Write(writer, spec);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a spec written by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not JSON, or not a valid network; the message says where and why.</exception>
    public static NetworkSpec Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The network description is not valid JSON: {e.Message}", e);
        }
        using (document)
            return Read(document.RootElement);
    }

    /// <summary>Writes <paramref name="spec"/> as one JSON object (for embedding in a larger document).</summary>
    public static void Write(Utf8JsonWriter writer, NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spec);
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WriteString("name", spec.Name);
        writer.WriteNumber("inputChannels", spec.InputChannels);
        WriteLayers(writer, "layers", spec.Layers);
        writer.WriteEndObject();
    }

    /// <summary>Reads a spec from the JSON object <paramref name="element"/> (as written by <see cref="Write"/>).</summary>
    /// <param name="element">The object.</param>
    /// <param name="where">Its location in the enclosing document, for messages (e.g. <c>$.spec</c>).</param>
    /// <exception cref="InvalidDataException">Not a valid network; the message says where and why.</exception>
    public static NetworkSpec Read(JsonElement element, string where = "$")
    {
        var o = new JsonObjectReader(element, where, "the network");
        o.Only("format", "name", "inputChannels", "layers");
        string format = o.String("format");
        if (format != Format)
            throw new InvalidDataException($"{where}.format: '{format}' is not a network format this version reads (expected '{Format}').");
        string name = o.String("name");
        int inputChannels = o.Int("inputChannels");
        List<Layer> layers = ReadLayers(o.Array("layers"), $"{where}.layers", nested: false);
        return o.Build(() => new NetworkSpec(name, inputChannels, layers));
    }

    private static void WriteLayers(Utf8JsonWriter writer, string property, IEnumerable<Layer> layers)
    {
        writer.WriteStartArray(property);
        foreach (Layer layer in layers)
            WriteLayer(writer, layer);
        writer.WriteEndArray();
    }

    private static void WriteLayer(Utf8JsonWriter w, Layer layer)
    {
        w.WriteStartObject();
        w.WriteString("kind", layer.Kind);
        w.WriteString("path", layer.Path);
        switch (layer)
        {
            case Conv2dLayer c:
                w.WriteNumber("inChannels", c.InChannels);
                w.WriteNumber("outChannels", c.OutChannels);
                Pair(w, "kernel", c.KernelHeight, c.KernelWidth);
                Pair(w, "stride", c.StrideHeight, c.StrideWidth);
                Pair(w, "padding", c.PaddingHeight, c.PaddingWidth);
                w.WriteNumber("dilation", c.Dilation);
                w.WriteBoolean("bias", c.HasBias);
                break;
            case BatchNorm2dLayer b:
                w.WriteNumber("channels", b.Channels);
                w.WriteNumber("eps", b.Eps);
                w.WriteNumber("momentum", b.Momentum);
                w.WriteBoolean("affine", b.Affine);
                break;
            case LinearLayer l:
                w.WriteNumber("inFeatures", l.InFeatures);
                w.WriteNumber("outFeatures", l.OutFeatures);
                w.WriteBoolean("bias", l.HasBias);
                break;
            case MaxPool2dLayer m:
                w.WriteNumber("kernelSize", m.KernelSize);
                w.WriteNumber("stride", m.Stride);
                w.WriteNumber("padding", m.Padding);
                w.WriteBoolean("ceilMode", m.CeilMode);
                break;
            case AvgPool2dLayer a:
                w.WriteNumber("kernelSize", a.KernelSize);
                w.WriteNumber("stride", a.Stride);
                w.WriteNumber("padding", a.Padding);
                w.WriteBoolean("ceilMode", a.CeilMode);
                w.WriteBoolean("countIncludePad", a.CountIncludePad);
                break;
            case AdaptiveAvgPool2dLayer a:
                w.WriteNumber("outputHeight", a.OutputHeight);
                w.WriteNumber("outputWidth", a.OutputWidth);
                break;
            case DropoutLayer d:
                w.WriteNumber("p", d.P);
                break;
            case ReLULayer or FlattenLayer:
                break;
            case ResidualBlock r:
                WriteLayers(w, "body", r.Body);
                WriteLayers(w, "shortcut", r.Shortcut);
                break;
            default:
                throw new NotSupportedException($"Layer '{layer.Path}' of kind {layer.Kind} has no JSON form; add it to {nameof(NetworkSpecJson)}.");
        }
        w.WriteEndObject();
    }

    private static void Pair(Utf8JsonWriter w, string property, int height, int width)
    {
        w.WriteStartArray(property);
        w.WriteNumberValue(height);
        w.WriteNumberValue(width);
        w.WriteEndArray();
    }

    private static List<Layer> ReadLayers(JsonElement array, string where, bool nested)
    {
        var layers = new List<Layer>();
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
            layers.Add(ReadLayer(item, $"{where}[{index++}]", nested));
        return layers;
    }

    private static Layer ReadLayer(JsonElement element, string where, bool nested)
    {
        var o = new JsonObjectReader(element, where, "a layer");
        string kind = o.String("kind");
        string path = o.String("path");
        switch (kind)
        {
            case "Conv2d":
            {
                o.Only("kind", "path", "inChannels", "outChannels", "kernel", "stride", "padding", "dilation", "bias");
                int inChannels = o.Int("inChannels"), outChannels = o.Int("outChannels"), dilation = o.Int("dilation");
                (int kh, int kw) = o.IntPair("kernel");
                (int sh, int sw) = o.IntPair("stride");
                (int ph, int pw) = o.IntPair("padding");
                bool bias = o.Bool("bias");
                return o.Build(() => new Conv2dLayer(path, inChannels, outChannels, kh, kw, sh, sw, ph, pw, bias, dilation));
            }
            case "BatchNorm2d":
            {
                o.Only("kind", "path", "channels", "eps", "momentum", "affine");
                int channels = o.Int("channels");
                double eps = o.Double("eps"), momentum = o.Double("momentum");
                bool affine = o.Bool("affine");
                return o.Build(() => new BatchNorm2dLayer(path, channels, eps, momentum, affine));
            }
            case "Linear":
            {
                o.Only("kind", "path", "inFeatures", "outFeatures", "bias");
                int inFeatures = o.Int("inFeatures"), outFeatures = o.Int("outFeatures");
                bool bias = o.Bool("bias");
                return o.Build(() => new LinearLayer(path, inFeatures, outFeatures, bias));
            }
            case "MaxPool2d":
            {
                o.Only("kind", "path", "kernelSize", "stride", "padding", "ceilMode");
                int kernel = o.Int("kernelSize"), stride = o.Int("stride"), padding = o.Int("padding");
                bool ceil = o.Bool("ceilMode");
                return o.Build(() => new MaxPool2dLayer(path, kernel, stride, padding, ceil));
            }
            case "AvgPool2d":
            {
                o.Only("kind", "path", "kernelSize", "stride", "padding", "ceilMode", "countIncludePad");
                int kernel = o.Int("kernelSize"), stride = o.Int("stride"), padding = o.Int("padding");
                bool ceil = o.Bool("ceilMode"), countIncludePad = o.Bool("countIncludePad");
                return o.Build(() => new AvgPool2dLayer(path, kernel, stride, padding, ceil, countIncludePad));
            }
            case "AdaptiveAvgPool2d":
            {
                o.Only("kind", "path", "outputHeight", "outputWidth");
                int height = o.Int("outputHeight"), width = o.Int("outputWidth");
                return o.Build(() => new AdaptiveAvgPool2dLayer(path, height, width));
            }
            case "Dropout":
            {
                o.Only("kind", "path", "p");
                double p = o.Double("p");
                return o.Build(() => new DropoutLayer(path, p));
            }
            case "ReLU":
                o.Only("kind", "path");
                return o.Build(() => new ReLULayer(path));
            case "Flatten":
                o.Only("kind", "path");
                return o.Build(() => new FlattenLayer(path));
            case "Residual":
            {
                o.Only("kind", "path", "body", "shortcut");
                if (nested)
                    throw new InvalidDataException($"{where}: residual block '{path}' is inside another residual block; blocks do not nest.");
                List<Layer> body = ReadLayers(o.Array("body"), $"{where}.body", nested: true);
                List<Layer> shortcut = ReadLayers(o.Array("shortcut"), $"{where}.shortcut", nested: true);
                return o.Build(() => new ResidualBlock(path, body, shortcut));
            }
            default:
                throw new InvalidDataException($"{where}.kind: unknown layer kind '{kind}' (known: Conv2d, BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Dropout, Flatten, Linear, Residual).");
        }
    }

    /// <summary>Strict access to the fields of one JSON object, with messages that name the location.</summary>
    private readonly struct JsonObjectReader
    {
        private readonly JsonElement _element;
        private readonly string _where;

        public JsonObjectReader(JsonElement element, string where, string what)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{where}: expected {what} as a JSON object, found {Describe(element)}.");
            _element = element;
            _where = where;
        }

        /// <summary>Refuses fields outside <paramref name="allowed"/> (typos would otherwise be ignored silently).</summary>
        public void Only(params string[] allowed)
        {
            foreach (JsonProperty p in _element.EnumerateObject())
                if (System.Array.IndexOf(allowed, p.Name) < 0)
                    throw new InvalidDataException($"{_where}: unknown field '{p.Name}' (expected {string.Join(", ", allowed)}).");
        }

        public string String(string name)
        {
            JsonElement e = Get(name);
            return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Wrong(name, "a string", e);
        }

        public int Int(string name)
        {
            JsonElement e = Get(name);
            return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int value) ? value : throw Wrong(name, "a 32-bit integer", e);
        }

        public double Double(string name)
        {
            JsonElement e = Get(name);
            return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double value) && double.IsFinite(value)
                ? value
                : throw Wrong(name, "a finite number", e);
        }

        public bool Bool(string name)
        {
            JsonElement e = Get(name);
            return e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Wrong(name, "true or false", e),
            };
        }

        public JsonElement Array(string name)
        {
            JsonElement e = Get(name);
            return e.ValueKind == JsonValueKind.Array ? e : throw Wrong(name, "an array", e);
        }

        public (int, int) IntPair(string name)
        {
            JsonElement e = Array(name);
            if (e.GetArrayLength() == 2 && e[0].TryGetInt32OrFalse(out int a) && e[1].TryGetInt32OrFalse(out int b))
                return (a, b);
            throw Wrong(name, "[height, width], two 32-bit integers", e);
        }

        /// <summary>Runs a layer constructor, turning its argument checks into a data error at this location.</summary>
        public T Build<T>(Func<T> create)
        {
            try
            {
                return create();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{_where}: {e.Message}", e);
            }
        }

        private JsonElement Get(string name) => _element.TryGetProperty(name, out JsonElement e)
            ? e
            : throw new InvalidDataException($"{_where}: the field '{name}' is missing.");

        private InvalidDataException Wrong(string name, string expected, JsonElement found) =>
            new($"{_where}.{name}: expected {expected}, found {Describe(found)}.");

        private static string Describe(JsonElement e)
        {
            string text = e.GetRawText();
            if (text.Length > 40) text = text[..40] + "…";
            return string.Create(CultureInfo.InvariantCulture, $"{e.ValueKind.ToString().ToLowerInvariant()} {text}");
        }
    }
}

/// <summary>Helpers for <see cref="NetworkSpecJson"/>.</summary>
file static class JsonElementExtensions
{
    public static bool TryGetInt32OrFalse(this JsonElement e, out int value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out value);
    }
}
