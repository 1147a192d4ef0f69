using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;
using AsymML.IO;
using AsymML.Network;
using static TorchSharp.torch;

using AsymML.Execution;

namespace AsymML.Training;

/// <summary>
/// A training run's state after an epoch: the network, its weights and BatchNorm statistics, the optimizer's state,
/// the epochs done and their figures, and a fingerprint of the settings that must not change on resume. Written
/// atomically (temporary file + rename) and ending with a SHA-256 of everything before it, so a torn file is refused
/// rather than half-loaded. The SHA-256 is unkeyed: anyone can recompute it. What protects the weights and the
/// optimizer state is the enclave's tag (<see cref="Tag"/>, HMAC-SHA256 keyed from the data owner's key), which only
/// the enclave checks, on resume and on inference: a state the host rewrote is refused there. A checkpoint of a
/// session without the key has no tag (<see cref="Authenticated"/> false). Layout: "ASYMCKPT", u32 version, u32 +
/// JSON metadata (with the network), u64 + the state as one boundary frame (the codec's bounds-checked tensor format),
/// u64 + optimizer bytes, u64 + tag, SHA-256. The file is the model too: <c>asymml infer --model</c> reads it.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    /// <summary>The file name inside a checkpoint directory.</summary>
    public const string FileName = "checkpoint.asymckpt";

    private const int Version = 2;
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private static ReadOnlySpan<byte> Magic => "ASYMCKPT"u8;

    /// <summary>Bundles the parts (takes ownership of <paramref name="state"/>'s state dict).</summary>
    public Checkpoint(NetworkSpec spec, TrainingState state, int epoch, string fingerprint, IReadOnlyList<EpochSummary> history)
    {
        ArgumentNullException.ThrowIfNull(state);
        Spec = spec;
        State = state.State;
        OptimizerState = state.OptimizerState;
        Tag = state.Tag;
        Epoch = epoch;
        Fingerprint = fingerprint;
        History = history;
    }

    /// <summary>The network.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>Weights and BatchNorm buffers.</summary>
    public StateDict State { get; }

    /// <summary>The optimizer's state (from <see cref="IExecutor.ExportTrainingState"/>).</summary>
    public byte[] OptimizerState { get; }

    /// <summary>The enclave's tags over state and optimizer state (64 bytes), or empty: unauthenticated.</summary>
    public byte[] Tag { get; }

    /// <summary>Whether the enclave tagged the state under the data owner's key (only the enclave can check the tag).</summary>
    public bool Authenticated => Tag.Length == 64;

    /// <summary>A copy of the weights, optimizer state and tag, to resume from (the caller disposes it).</summary>
    public TrainingState ToTrainingState() => new(State.Clone(), OptimizerState, Tag);

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; }

    /// <summary>The settings a resumed run must share (model, data, mode, ranks, noise, batch, optimizer, seed).</summary>
    public string Fingerprint { get; }

    /// <summary>Figures of the completed epochs.</summary>
    public IReadOnlyList<EpochSummary> History { get; }

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically.</summary>
    public void Save(string path)
    {
        using var stateFrame = new StateExport(State.Select(p => new NamedTensor(p.Key, p.Value)).ToList());
        byte[] frame = FrameCodec.Encode(stateFrame);
        byte[] metadata = JsonSerializer.SerializeToUtf8Bytes(new Metadata(Epoch, Fingerprint, NetworkSpecJson.Serialize(Spec, indented: false), History.ToList()), Json);
        using var body = new MemoryStream();
        body.Write(Magic);
        WriteU32(body, Version);
        WriteU32(body, (uint)metadata.Length);
        body.Write(metadata);
        WriteU64(body, (ulong)frame.Length);
        body.Write(frame);
        WriteU64(body, (ulong)OptimizerState.Length);
        body.Write(OptimizerState);
        WriteU64(body, (ulong)Tag.Length);
        body.Write(Tag);
        byte[] hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        AtomicFile.Write(path, stream =>
        {
            stream.Write(body.GetBuffer().AsSpan(0, (int)body.Length));
            stream.Write(hash);
        });
    }

    /// <summary>Reads and checks a checkpoint (or a directory holding <see cref="FileName"/>).</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, or corrupt; the message says which check failed.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) path = Path.Combine(path, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at {path}.", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Corrupt(path, "it is not an AsymML checkpoint (no ASYMCKPT magic)");
        if (bytes.Length < Magic.Length + 4 + 4 + 8 + 8 + 8 + 32)
            throw Corrupt(path, $"it is truncated ({bytes.Length} bytes)");
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw Corrupt(path, "its SHA-256 checksum does not match its content (truncated or altered)");
        var r = new Reader(bytes.AsMemory(0, bytes.Length - 32), path);
        r.Skip(Magic.Length);
        uint version = r.U32();
        if (version != Version) throw Corrupt(path, $"it has format version {version}; this build reads version {Version}");
        Metadata meta = JsonSerializer.Deserialize<Metadata>(r.Take(r.U32()).Span, Json) ?? throw Corrupt(path, "its metadata is empty");
        NetworkSpec spec = NetworkSpecJson.Deserialize(meta.Network);
        using BoundaryMessage message = FrameCodec.Decode(r.Take(r.U64()).ToArray());
        if (message is not StateExport export) throw Corrupt(path, $"its state section holds a {message.Kind} frame");
        var state = new StateDict(export.State.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value.clone())));
        byte[] optimizer = r.Take(r.U64()).ToArray();
        byte[] tag = r.Take(r.U64()).ToArray();
        r.End();
        if (tag.Length is not (0 or 64))
            throw Corrupt(path, $"its tag has {tag.Length} bytes (expected 64, or 0 for an unauthenticated checkpoint)");
        return new Checkpoint(spec, new TrainingState(state, optimizer, tag), meta.Epoch, meta.Fingerprint, meta.History);
    }

    private static InvalidDataException Corrupt(string path, string problem) =>
        new($"The checkpoint {path} was refused: {problem}.");

    private static void WriteU32(Stream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        s.Write(b);
    }

    private static void WriteU64(Stream s, ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        s.Write(b);
    }

    /// <inheritdoc />
    public void Dispose() => State.Dispose();

    private sealed record Metadata(int Epoch, string Fingerprint, string Network, List<EpochSummary> History);

    private sealed class Reader(ReadOnlyMemory<byte> bytes, string path)
    {
        private int _at;

        public void Skip(int n) => Take((ulong)n);

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4UL).Span);

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8UL).Span);

        public ReadOnlyMemory<byte> Take(ulong n)
        {
            if (n > (ulong)(bytes.Length - _at)) throw Corrupt(path, $"a section claims {n} bytes, {bytes.Length - _at} are left");
            ReadOnlyMemory<byte> part = bytes.Slice(_at, (int)n);
            _at += (int)n;
            return part;
        }

        public void End()
        {
            if (_at != bytes.Length) throw Corrupt(path, $"{bytes.Length - _at} bytes follow the last section");
        }
    }
}
