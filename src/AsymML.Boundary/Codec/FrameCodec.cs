using System.Buffers.Binary;
using AsymML.Boundary.Messages;
using static TorchSharp.torch;

namespace AsymML.Boundary.Codec;

/// <summary>
/// The one place where messages become bytes and bytes become messages. A frame is a little-endian int32 payload
/// length, then the payload: format version, message kind, and the kind's fields (strings as length + UTF-8,
/// tensors as type, rank, dimensions and raw elements). Decoding checks every length and shape against the bytes
/// actually present and against <see cref="FrameLimits"/>, and refuses trailing bytes.
/// Every path (a byte array, a stream, the in-process <see cref="TensorFrame"/>) runs the same two per-kind switches
/// below (<c>WriteMessage</c>, <c>DecodePayload</c>) over a sink or source: a message is sized before it is written,
/// tensor bytes go straight between tensor memory and the array or stream, and no whole-frame copy is made.
/// </summary>
public static class FrameCodec
{
    /// <summary>Format version written in every frame.</summary>
    public const byte Version = 2;

    /// <summary>Encodes <paramref name="message"/> as one frame (length prefix included), sized first and written
    /// in place: one copy of each tensor's data, into an array of exactly the frame's size.</summary>
    /// <exception cref="FrameFormatException">The message breaks the limits or carries a tensor that may not cross
    /// (nothing is allocated for the frame).</exception>
    public static byte[] Encode(BoundaryMessage message, FrameLimits? limits = null)
    {
        using PreparedFrame prepared = Prepare(message, limits ?? FrameLimits.Default);
        if (prepared.Length > Array.MaxLength)
            throw new FrameFormatException($"{message.Kind} frame of {prepared.PayloadBytes} bytes is too large for one array; send it with Write(stream).");
        byte[] frame = GC.AllocateUninitializedArray<byte>((int)prepared.Length); // every byte is written below
        var sink = new ArraySink(frame, prepared);
        WriteMessage(new FrameWriter(sink), message);
        if (sink.Position != prepared.PayloadBytes)
            throw new InvalidOperationException($"The {message.Kind} frame wrote {sink.Position} payload bytes, sized as {prepared.PayloadBytes}.");
        return frame;
    }

    /// <summary>Decodes one whole frame (length prefix included).</summary>
    /// <exception cref="FrameFormatException">The frame is malformed or breaks a limit.</exception>
    public static BoundaryMessage Decode(byte[] frame, FrameLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Length < 4)
            throw new FrameFormatException($"Truncated frame: {frame.Length} bytes, not even a length prefix.");
        int length = BinaryPrimitives.ReadInt32LittleEndian(frame);
        if (length != frame.Length - 4)
            throw new FrameFormatException($"Frame length prefix says {length} bytes, {frame.Length - 4} present.");
        return DecodePayload(new FrameReader(new MemorySource(frame.AsMemory(4)), limits ?? FrameLimits.Default));
    }

    /// <summary>Writes one frame to <paramref name="stream"/> and flushes it: the message is checked and sized
    /// first (a refused message writes nothing), then the prefix and fields go out through a small buffer and each
    /// tensor's bytes straight from its memory, without building the frame.</summary>
    /// <exception cref="FrameFormatException">The message breaks the limits (nothing was written).</exception>
    public static void Write(Stream stream, BoundaryMessage message, FrameLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using PreparedFrame prepared = Prepare(message, limits ?? FrameLimits.Default);
        Write(stream, prepared);
    }

    /// <summary>Reads one frame from <paramref name="stream"/>; null at a clean end of stream before a frame. Tensor
    /// data are read straight into the new tensors. After an exception the stream is no longer at a frame boundary
    /// (a malformed frame is refused as soon as a field breaks the format, without reading the rest).</summary>
    /// <exception cref="FrameFormatException">The length prefix breaks the limit, or the frame is malformed.</exception>
    /// <exception cref="EndOfStreamException">The stream ended inside a frame.</exception>
    public static BoundaryMessage? Read(Stream stream, FrameLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        FrameLimits l = limits ?? FrameLimits.Default;
        Span<byte> prefix = stackalloc byte[4];
        int got = stream.ReadAtLeast(prefix, 4, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < 4) throw new EndOfStreamException($"Stream ended inside a frame length prefix ({got} of 4 bytes).");
        int length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 2 || length > l.MaxFrameBytes)
            throw new FrameFormatException($"Frame length {length} outside 2..{l.MaxFrameBytes}.");
        using var source = new StreamSource(stream, length);
        return DecodePayload(new FrameReader(source, l));
    }

    /// <summary>Checks and sizes <paramref name="message"/> for encoding (see <see cref="PreparedFrame"/>); nothing
    /// is copied for tensors that are already contiguous CPU tensors.</summary>
    /// <exception cref="FrameFormatException">The message breaks the limits or carries a tensor that may not cross.</exception>
    internal static PreparedFrame Prepare(BoundaryMessage message, FrameLimits limits)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sizing = new SizingSink();
        WriteMessage(new FrameWriter(sizing), message);
        int max = limits.MaxFrameBytes;
        if (sizing.Position > max)
            throw new FrameFormatException($"{message.Kind} frame of {sizing.Position} bytes exceeds the limit of {max}.");
        return new PreparedFrame(message, sizing);
    }

    /// <summary>Writes a prepared frame to <paramref name="stream"/> and flushes it; fails only if the stream does.</summary>
    internal static void Write(Stream stream, PreparedFrame prepared)
    {
        using var sink = new StreamSink(stream, prepared);
        WriteMessage(new FrameWriter(sink), prepared.Message);
        sink.Finish();
    }

    /// <summary>Encodes <paramref name="message"/> for the in-process channel: checked and sized exactly as
    /// <see cref="Encode"/> would, with each tensor copied once into a tensor the frame owns (see <see cref="TensorFrame"/>).</summary>
    /// <exception cref="FrameFormatException">As <see cref="Encode"/>.</exception>
    internal static TensorFrame EncodeTensorFrame(BoundaryMessage message, FrameLimits limits)
    {
        using PreparedFrame prepared = Prepare(message, limits);
        var sink = new TensorFrameSink(prepared);
        try
        {
            WriteMessage(new FrameWriter(sink), message);
            return sink.Finish();
        }
        catch
        {
            sink.Abandon();
            throw;
        }
    }

    /// <summary>Decodes a <see cref="TensorFrame"/> with the checks of <see cref="Decode"/>; the receiver gets the
    /// frame's copies (the caller still disposes <paramref name="frame"/>, which releases only its own references).</summary>
    /// <exception cref="FrameFormatException">The frame breaks a limit (e.g. a rank or string length the receiver does not allow).</exception>
    internal static BoundaryMessage DecodeTensorFrame(TensorFrame frame, FrameLimits limits) =>
        DecodePayload(new FrameReader(new TensorFrameSource(frame), limits));

    /// <summary>The one place that lists each kind's fields, in wire order, for every encoding pass.</summary>
    private static void WriteMessage(FrameWriter w, BoundaryMessage message)
    {
        w.U8(Version);
        w.U8((byte)message.Kind);
        switch (message)
        {
            case ProvisionBatch m: w.Tensor(m.Input); w.Tensor(m.Labels); break;
            case RunStep m:
                w.U8((byte)m.Step); w.I64(m.Number);
                w.Bool(m.LearningRate is not null);
                if (m.LearningRate is double lr) w.F64(lr);
                break;
            case WeightsMessage m: WriteNamed(w, m.Weights); break;
            case ConvForward m: w.String(m.ConvLayer); w.Tensor(m.Residual); break;
            case ConvForwardReply m: w.String(m.ConvLayer); w.Tensor(m.Output); break;
            case ConvBackward m: w.String(m.ConvLayer); w.Bool(m.NeedInputGradient); w.Tensor(m.OutputGradient); break;
            case ConvBackwardReply m:
                w.String(m.ConvLayer);
                w.Bool(m.InputGradient is not null);
                if (m.InputGradient is not null) w.Tensor(m.InputGradient);
                w.Bool(m.WeightGradient is not null);
                if (m.WeightGradient is not null) w.Tensor(m.WeightGradient);
                break;
            case WeightGradients m: WriteNamed(w, m.Gradients); break;
            case StepResult m:
                w.I64(m.Number); w.F64(m.Loss); w.I32(m.Correct); w.I32(m.BatchSize); w.F64(m.EnclaveSeconds); w.I64(m.EnclavePeakBytes); w.F64(m.VerificationSeconds); w.F64(m.WeightCheckSeconds); w.F64(m.UpdateSeconds);
                w.F64(m.ResidualEpsilon); w.I64(m.MaxResidualReleases);
                break;
            case ErrorMessage m: w.String(m.Text); break;
            case ProvisionData m: w.String(m.Split); w.Tensor(m.Pixels); w.Tensor(m.Labels); break;
            case ProvisionSealed m: w.String(m.Split); w.U8((byte)m.Part); w.I64(m.Index); w.Tensor(m.Bytes); break;
            case DataReady m: w.String(m.Split); w.I32(m.Count); break;
            case SelectBatch m: w.String(m.Split); w.Tensor(m.Indices); w.I64(m.Sequence); break;
            case ExportRequest: break;
            case StateExport m:
                WriteNamed(w, m.State);
                w.Bool(m.OptimizerState is not null);
                if (m.OptimizerState is not null) w.Tensor(m.OptimizerState);
                w.Bool(m.Tag is not null);
                if (m.Tag is not null) w.Tensor(m.Tag);
                break;
            case LoadState m: WriteNamed(w, m.State); w.Tensor(m.OptimizerState); w.Tensor(m.Tag); break;
            case StateLoaded m: w.Bool(m.Authenticated); break;
            case EvaluationRequest m: w.String(m.Split); break;
            case EvaluationReport m: w.String(m.Split); w.Tensor(m.Confusion); w.Tensor(m.Predictions); w.Bool(m.PredictionsSealed); break;
            default: throw new ArgumentException($"No encoding for message type {message.GetType().Name}.", nameof(message));
        }
    }

    /// <summary>The one place that lists each kind's fields for decoding, whatever the source of the payload.</summary>
    private static BoundaryMessage DecodePayload(FrameReader r)
    {
        byte version = r.U8("version");
        if (version != Version)
            throw new FrameFormatException($"Frame format version {version}; this build reads version {Version}.");
        byte code = r.U8("kind");
        var kind = (MessageKind)code;
        using var scope = NewDisposeScope(); // tensors of a half-read frame are freed; a whole message moves out
        BoundaryMessage message = kind switch
        {
            MessageKind.ProvisionBatch => new ProvisionBatch(r.Tensor("input"), r.Tensor("labels")),
            MessageKind.RunStep => new RunStep(StepKindOf(r.U8("step kind")), r.I64("step number"), r.Bool("has learning rate") ? r.F64("learning rate") : null),
            MessageKind.Weights => new WeightsMessage(ReadNamed(r, "weights")),
            MessageKind.ConvForward => new ConvForward(r.String("layer"), r.Tensor("residual")),
            MessageKind.ConvForwardReply => new ConvForwardReply(r.String("layer"), r.Tensor("output")),
            MessageKind.ConvBackward => ReadConvBackward(r),
            MessageKind.ConvBackwardReply => ReadConvBackwardReply(r),
            MessageKind.WeightGradients => new WeightGradients(ReadNamed(r, "gradients")),
            MessageKind.StepResult => new StepResult(r.I64("step number"), r.F64("loss"), r.I32("correct"), r.I32("batch size"), r.F64("enclave seconds"), r.I64("peak bytes"), r.F64("verification seconds"), r.F64("weight check seconds"), r.F64("update seconds"), r.F64("residual epsilon"), r.I64("residual releases")),
            MessageKind.Error => new ErrorMessage(r.String("error text")),
            MessageKind.ProvisionData => new ProvisionData(r.String("split"), r.Tensor("pixels"), r.Tensor("labels")),
            MessageKind.ProvisionSealed => new ProvisionSealed(r.String("split"), SealedPartOf(r.U8("sealed part")), r.I64("chunk index"), r.Tensor("sealed bytes")),
            MessageKind.DataReady => new DataReady(r.String("split"), r.I32("count")),
            MessageKind.SelectBatch => new SelectBatch(r.String("split"), r.Tensor("indices"), r.I64("sequence")),
            MessageKind.ExportRequest => new ExportRequest(),
            MessageKind.StateExport => ReadStateExport(r),
            MessageKind.LoadState => new LoadState(ReadNamed(r, "state"), r.Tensor("optimizer state"), r.Tensor("tag")),
            MessageKind.StateLoaded => new StateLoaded(r.Bool("authenticated")),
            MessageKind.EvaluationRequest => new EvaluationRequest(r.String("split")),
            MessageKind.EvaluationReport => new EvaluationReport(r.String("split"), r.Tensor("confusion"), r.Tensor("predictions"), r.Bool("predictions sealed")),
            _ => throw new FrameFormatException($"Unknown message kind {code}."),
        };
        r.End(kind.ToString());
        foreach (Tensor t in message.Tensors) t.MoveToOuterDisposeScope();
        return message;
    }

    private static ConvBackward ReadConvBackward(FrameReader r)
    {
        string layer = r.String("layer");
        bool need = r.Bool("need input gradient");
        return new ConvBackward(layer, r.Tensor("output gradient"), need);
    }

    private static ConvBackwardReply ReadConvBackwardReply(FrameReader r)
    {
        string layer = r.String("layer");
        Tensor? dx = r.Bool("has input gradient") ? r.Tensor("input gradient") : null;
        Tensor? dw = r.Bool("has weight gradient") ? r.Tensor("weight gradient") : null;
        return new ConvBackwardReply(layer, dx, dw);
    }

    private static StateExport ReadStateExport(FrameReader r)
    {
        List<NamedTensor> state = ReadNamed(r, "state");
        Tensor? optimizer = r.Bool("has optimizer state") ? r.Tensor("optimizer state") : null;
        Tensor? tag = r.Bool("has tag") ? r.Tensor("tag") : null;
        return new StateExport(state, optimizer, tag);
    }

    private static StepKind StepKindOf(byte code) => Enum.IsDefined((StepKind)code)
        ? (StepKind)code
        : throw new FrameFormatException($"Unknown step kind {code}.");

    private static SealedPart SealedPartOf(byte code) => Enum.IsDefined((SealedPart)code)
        ? (SealedPart)code
        : throw new FrameFormatException($"Unknown sealed part {code}.");

    private static void WriteNamed(FrameWriter w, IReadOnlyList<NamedTensor> tensors)
    {
        w.I32(tensors.Count);
        foreach (NamedTensor t in tensors)
        {
            w.String(t.Name);
            w.Tensor(t.Value);
        }
    }

    private static List<NamedTensor> ReadNamed(FrameReader r, string field)
    {
        int count = r.Count(field);
        var list = new List<NamedTensor>(count);
        for (int i = 0; i < count; i++)
            list.Add(new NamedTensor(r.String(field + " name"), r.Tensor(field + " tensor")));
        return list;
    }
}
