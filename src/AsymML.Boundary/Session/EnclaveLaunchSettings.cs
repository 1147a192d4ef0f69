using System.Globalization;
using System.Text;
using System.Text.Json;
using AsymML.Data;
using AsymML.Decomposition;
using AsymML.Network;
using AsymML.Optimization;

namespace AsymML.Boundary.Session;

/// <summary>
/// What the enclave process needs before it connects: the <see cref="EnclaveSettings"/> (network, rank of every
/// convolution by layer path, split method, iterations, noise ratio and seed, reply timeout) and the number of
/// intra-op threads of its TorchSharp. The host writes it as a JSON file (<see cref="Write"/>) into a private
/// directory and passes the path; the enclave process reads it (<see cref="Read"/>). The JSON form is exact:
/// reading what was written gives equal values. The reader is strict (missing, unknown or mistyped fields are errors
/// that name the field).
/// </summary>
/// <param name="Enclave">The enclave runtime's settings.</param>
/// <param name="Threads">TorchSharp intra-op threads of the enclave process (<c>torch.set_num_threads</c>); null
/// keeps TorchSharp's default (the core count).</param>
public sealed record EnclaveLaunchSettings(EnclaveSettings Enclave, int? Threads = null)
{
    /// <summary>Diagnostics: the environment variable that, set to a file path, makes the enclave process append one
    /// line "<c>step live</c>" per step: the enclave thread's live TorchSharp tensors at the step's end (a count of
    /// objects, nothing about the data).</summary>
    public const string TensorCountLogVariable = "ASYMML_ENCLAVE_TENSOR_LOG";

    /// <summary>The value of the <c>format</c> field this version writes and reads.</summary>
    public const string Format = "asymml-enclave-settings/1";

    /// <summary>The settings as a JSON document.</summary>
    /// <exception cref="ArgumentException">The settings cannot be written (e.g. a thread count below 1).</exception>
    public string ToJson()
    {
        ArgumentNullException.ThrowIfNull(Enclave);
        if (Threads is < 1)
            throw new ArgumentException($"The enclave process needs at least one thread, not {Threads}.");
        if (Enclave.InitialState is not null)
            throw new ArgumentException("An in-memory initial state cannot go into the enclave process's settings: the enclave makes its initial weights from the weight seed, or resumes from a state it exported (LoadState).");
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WritePropertyName("spec");
            NetworkSpecJson.Write(w, Enclave.Spec);
            w.WriteStartObject("ranks");
            foreach (var (path, a) in Enclave.Ranks)
            {
                w.WriteStartObject(path);
                w.WriteString("name", a.Layer.Name);
                w.WriteNumber("inChannels", a.Layer.InChannels);
                w.WriteNumber("outChannels", a.Layer.OutChannels);
                w.WriteNumber("kernelSize", a.Layer.KernelSize);
                w.WriteNumber("stride", a.Layer.Stride);
                w.WriteNumber("padding", a.Layer.Padding);
                w.WriteNumber("inHeight", a.Layer.InHeight);
                w.WriteNumber("inWidth", a.Layer.InWidth);
                w.WriteNumber("stage", a.Layer.Stage);
                w.WriteNumber("rank", a.Rank);
                w.WriteBoolean("split", a.Split);
                w.WriteString("reason", a.Reason);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteString("method", Enclave.Method.ToString());
            w.WriteNumber("maxIterations", Enclave.MaxIterations);
            w.WriteNumber("noiseRatio", Enclave.NoiseRatio);
            if (Enclave.NoiseSeed is long seed) w.WriteNumber("noiseSeed", seed);
            else w.WriteNull("noiseSeed");
            if (Enclave.ReplyTimeout is TimeSpan timeout) w.WriteString("replyTimeout", timeout.ToString("c", CultureInfo.InvariantCulture));
            else w.WriteNull("replyTimeout");
            WriteData(w, Enclave.Data);
            if (Enclave.MemoryBudgetBytes is long budget) w.WriteNumber("memoryBudgetBytes", budget);
            else w.WriteNull("memoryBudgetBytes");
            if (Enclave.Verify is VerificationSettings verify)
            {
                w.WriteStartObject("verify");
                w.WriteNumber("probability", verify.Probability);
                w.WriteNumber("unitRoundoff", verify.UnitRoundoff);
                w.WriteEndObject();
            }
            else w.WriteNull("verify");
            if (Enclave.Optimizer is OptimizerSettings optimizer)
            {
                w.WriteStartObject("optimizer");
                w.WriteString("kind", optimizer.Kind.ToString());
                w.WriteNumber("learningRate", optimizer.LearningRate);
                w.WriteNumber("momentum", optimizer.Momentum);
                w.WriteBoolean("nesterov", optimizer.Nesterov);
                w.WriteNumber("weightDecay", optimizer.WeightDecay);
                w.WriteEndObject();
            }
            else w.WriteNull("optimizer");
            w.WriteNumber("weightSeed", Enclave.WeightSeed);
            w.WriteNumber("learningRateFloor", Enclave.LearningRateFloor);
            if (Enclave.ResidualPrivacy is ResidualPrivacySettings privacy)
            {
                w.WriteStartObject("residualPrivacy");
                w.WriteNumber("noiseMultiplier", privacy.NoiseMultiplier);
                if (privacy.ClipNorm is double clip) w.WriteNumber("clipNorm", clip);
                else w.WriteNull("clipNorm");
                w.WriteNumber("clipQuantile", privacy.ClipQuantile);
                w.WriteNumber("delta", privacy.Delta);
                w.WriteEndObject();
            }
            else w.WriteNull("residualPrivacy");
            if (Enclave.Mask is MaskingSettings mask)
            {
                w.WriteStartObject("mask");
                w.WriteNumber("groupSize", mask.GroupSize);
                w.WriteNumber("noiseRatio", mask.NoiseRatio);
                if (mask.Seed is long maskSeed) w.WriteNumber("seed", maskSeed);
                else w.WriteNull("seed");
                w.WriteEndObject();
            }
            else w.WriteNull("mask");
            if (Threads is int threads) w.WriteNumber("threads", threads);
            else w.WriteNull("threads");
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads settings written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or not valid settings; the message names the field and the problem.</exception>
    public static EnclaveLaunchSettings FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The enclave settings are not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var o = new StrictObject(document.RootElement, "$");
            o.Only("format", "spec", "ranks", "method", "maxIterations", "noiseRatio", "noiseSeed", "replyTimeout", "memoryBudgetBytes", "data", "verify",
                "optimizer", "weightSeed", "learningRateFloor", "residualPrivacy", "mask", "threads");
            string format = o.String("format");
            if (format != Format)
                throw new InvalidDataException($"$.format: '{format}' is not an enclave settings format this version reads (expected '{Format}').");
            NetworkSpec spec = NetworkSpecJson.Read(o.Get("spec"), "$.spec");
            var ranks = new Dictionary<string, RankAssignment>(StringComparer.Ordinal);
            foreach (JsonProperty p in o.Object("ranks").EnumerateObject())
            {
                var r = new StrictObject(p.Value, $"$.ranks['{p.Name}']");
                r.Only("name", "inChannels", "outChannels", "kernelSize", "stride", "padding", "inHeight", "inWidth", "stage", "rank", "split", "reason");
                var shape = new ConvLayerShape(r.String("name"), r.Int("inChannels"), r.Int("outChannels"), r.Int("kernelSize"), r.Int("stride"),
                    r.Int("padding"), r.Int("inHeight"), r.Int("inWidth"), r.Int("stage"));
                if (!spec.TryGetLayer(p.Name, out Layer? layer) || layer is not Conv2dLayer)
                    throw new InvalidDataException($"$.ranks['{p.Name}']: the network has no convolution at that path.");
                if (!ranks.TryAdd(p.Name, new RankAssignment(shape, r.Int("rank"), r.Bool("split"), r.String("reason"))))
                    throw new InvalidDataException($"$.ranks: the layer '{p.Name}' appears twice.");
            }
            string methodText = o.String("method");
            if (!Enum.TryParse(methodText, ignoreCase: false, out SplitMethod method) || !Enum.IsDefined(method) || int.TryParse(methodText, out _))
                throw new InvalidDataException($"$.method: '{methodText}' is not a split method (expected {string.Join(", ", Enum.GetNames<SplitMethod>())}).");
            int maxIterations = o.Int("maxIterations");
            double noiseRatio = o.Double("noiseRatio");
            long? noiseSeed = o.IsNull("noiseSeed") ? null : o.Long("noiseSeed");
            TimeSpan? replyTimeout = null;
            if (!o.IsNull("replyTimeout"))
            {
                string text = o.String("replyTimeout");
                if (!TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out TimeSpan t))
                    throw new InvalidDataException($"$.replyTimeout: '{text}' is not a time span such as 00:01:00.");
                replyTimeout = t;
            }
            long? budget = o.IsNull("memoryBudgetBytes") ? null : o.Long("memoryBudgetBytes");
            if (budget is <= 0)
                throw new InvalidDataException($"$.memoryBudgetBytes: the private-memory budget must be positive, not {budget}.");
            int? threads = o.IsNull("threads") ? null : o.Int("threads");
            if (threads is < 1)
                throw new InvalidDataException($"$.threads: the enclave process needs at least one thread, not {threads}.");
            VerificationSettings? verify = null;
            if (!o.IsNull("verify"))
            {
                var v = new StrictObject(o.Get("verify"), "$.verify");
                v.Only("probability", "unitRoundoff");
                verify = new VerificationSettings(v.Double("probability"), v.Double("unitRoundoff"));
                try
                {
                    verify.Validate();
                }
                catch (ArgumentOutOfRangeException e)
                {
                    throw new InvalidDataException($"$.verify: {e.Message}", e);
                }
            }
            OptimizerSettings? optimizer = o.IsNull("optimizer") ? null : ReadOptimizer(o);
            double floor = o.Double("learningRateFloor");
            if (!(floor is > 0 and <= 1))
                throw new InvalidDataException($"$.learningRateFloor: a share in (0, 1], not {floor}.");
            ResidualPrivacySettings? privacy = ReadResidualPrivacy(o);
            MaskingSettings? mask = null;
            if (!o.IsNull("mask"))
            {
                var m = new StrictObject(o.Get("mask"), "$.mask");
                m.Only("groupSize", "noiseRatio", "seed");
                mask = new MaskingSettings(m.Int("groupSize"), m.Double("noiseRatio"), m.IsNull("seed") ? null : m.Long("seed"));
                try
                {
                    mask.Validate();
                }
                catch (ArgumentOutOfRangeException e)
                {
                    throw new InvalidDataException($"$.mask: {e.Message}", e);
                }
            }
                        var settings = new EnclaveSettings(spec, ranks, method, maxIterations, noiseRatio, noiseSeed, replyTimeout, budget, ReadData(o), verify,
                optimizer, o.Long("weightSeed"), floor, ResidualPrivacy: privacy, Mask: mask);
            try
            {
                settings.ValidateNoise();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"$.residualPrivacy / $.noiseRatio: {e.Message}", e);
            }
            return new EnclaveLaunchSettings(settings, threads);
        }
    }

    private static OptimizerSettings ReadOptimizer(StrictObject o)
    {
        var opt = new StrictObject(o.Object("optimizer"), "$.optimizer");
        opt.Only("kind", "learningRate", "momentum", "nesterov", "weightDecay");
        string kindText = opt.String("kind");
        if (!Enum.TryParse(kindText, ignoreCase: false, out OptimizerKind kind) || !Enum.IsDefined(kind) || int.TryParse(kindText, out _))
            throw new InvalidDataException($"$.optimizer.kind: '{kindText}' is not an optimizer (expected {string.Join(", ", Enum.GetNames<OptimizerKind>())}).");
        var optimizer = new OptimizerSettings(kind, opt.Double("learningRate"), opt.Double("momentum"), opt.Bool("nesterov"), opt.Double("weightDecay"));
        if (!(optimizer.LearningRate > 0))
            throw new InvalidDataException($"$.optimizer.learningRate: must be positive, not {optimizer.LearningRate}.");
        return optimizer;
    }

    private static void WriteData(Utf8JsonWriter w, PrivateDataOptions? data)
    {
        if (data is null)
        {
            w.WriteNull("data");
            return;
        }
        w.WriteStartObject("data");
        if (data.KeyFile is string key) w.WriteString("keyFile", key);
        else w.WriteNull("keyFile");
        w.WriteNumber("cropPadding", data.Augmentation?.CropPadding ?? 0);
        w.WriteBoolean("horizontalFlip", data.Augmentation?.HorizontalFlip ?? false);
        if (data.AugmentationSeed is long seed) w.WriteNumber("augmentationSeed", seed);
        else w.WriteNull("augmentationSeed");
        w.WriteEndObject();
    }

    /// <summary>The residual mechanism; a file without the field (written before it existed) has none.</summary>
    private static ResidualPrivacySettings? ReadResidualPrivacy(StrictObject o)
    {
        if (!o.Has("residualPrivacy") || o.IsNull("residualPrivacy")) return null;
        var p = new StrictObject(o.Object("residualPrivacy"), "$.residualPrivacy");
        p.Only("noiseMultiplier", "clipNorm", "clipQuantile", "delta");
        return new ResidualPrivacySettings(p.Double("noiseMultiplier"), p.IsNull("clipNorm") ? null : p.Double("clipNorm"), p.Double("clipQuantile"), p.Double("delta"));
    }

    private static PrivateDataOptions? ReadData(StrictObject o)
    {
        if (o.IsNull("data")) return null;
        var d = new StrictObject(o.Object("data"), "$.data");
        d.Only("keyFile", "cropPadding", "horizontalFlip", "augmentationSeed");
        int padding = d.Int("cropPadding");
        if (padding < 0)
            throw new InvalidDataException($"$.data.cropPadding: {padding} is negative.");
        bool flip = d.Bool("horizontalFlip");
        return new PrivateDataOptions(
            d.IsNull("keyFile") ? null : d.String("keyFile"),
            padding == 0 && !flip ? null : new Augmentation(cropPadding: padding, horizontalFlip: flip),
            d.IsNull("augmentationSeed") ? null : d.Long("augmentationSeed"));
    }

    /// <summary>Writes the settings to a new file <paramref name="path"/>, readable and writable by the owner only
    /// (on Unix); an existing file is not overwritten.</summary>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = Encoding.UTF8.GetBytes(ToJson());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }

    /// <summary>Reads the settings file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not valid settings; the message names the field and the problem.</exception>
    public static EnclaveLaunchSettings Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The enclave settings file {path} does not exist.", path);
        try
        {
            return FromJson(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Strict access to one JSON object's fields, with messages that name the location.</summary>
    private readonly struct StrictObject
    {
        private readonly JsonElement _element;
        private readonly string _where;

        public StrictObject(JsonElement element, string where)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{where}: expected a JSON object, found {element.ValueKind.ToString().ToLowerInvariant()}.");
            (_element, _where) = (element, where);
        }

        public void Only(params string[] allowed)
        {
            foreach (JsonProperty p in _element.EnumerateObject())
                if (Array.IndexOf(allowed, p.Name) < 0)
                    throw new InvalidDataException($"{_where}: unknown field '{p.Name}' (expected {string.Join(", ", allowed)}).");
        }

        public JsonElement Get(string name) => _element.TryGetProperty(name, out JsonElement e)
            ? e
            : throw new InvalidDataException($"{_where}: the field '{name}' is missing.");

        public bool IsNull(string name) => Get(name).ValueKind == JsonValueKind.Null;

        public bool Has(string name) => _element.TryGetProperty(name, out _);

        public JsonElement Object(string name) =>
            Get(name) is { ValueKind: JsonValueKind.Object } e ? e : throw Wrong(name, "an object");

        public string String(string name) =>
            Get(name) is { ValueKind: JsonValueKind.String } e ? e.GetString()! : throw Wrong(name, "a string");

        public int Int(string name) =>
            Get(name) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt32(out int v) ? v : throw Wrong(name, "a 32-bit integer");

        public long Long(string name) =>
            Get(name) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out long v) ? v : throw Wrong(name, "a 64-bit integer");

        public double Double(string name) =>
            Get(name) is { ValueKind: JsonValueKind.Number } e && e.TryGetDouble(out double v) && double.IsFinite(v) ? v : throw Wrong(name, "a finite number");

        public bool Bool(string name) => Get(name).ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false"),
        };

        private InvalidDataException Wrong(string name, string expected)
        {
            string found = Get(name).GetRawText();
            if (found.Length > 40) found = found[..40] + "…";
            return new InvalidDataException($"{_where}.{name}: expected {expected}, found {found}.");
        }
    }
}
