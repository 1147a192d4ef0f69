using System.Buffers.Binary;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;

namespace AsymML.Tests.Boundary;

public class FrameCodecTests
{
    public static TheoryData<string> Kinds() => new(Enum.GetNames<MessageKind>());

    internal static BoundaryMessage Sample(MessageKind kind) => kind switch
    {
        MessageKind.ProvisionBatch => new ProvisionBatch(randn(2, 1, 4, 5), tensor(new long[] { 3, 7 })),
        MessageKind.RunStep => new RunStep(StepKind.Train, 42, 0.0125),
        MessageKind.Weights => new WeightsMessage([new("features.0.weight", randn(4, 1, 3, 3)), new("fc.bias", randn(10, dtype: ScalarType.Float64))]),
        MessageKind.ConvForward => new ConvForward("layer1.0.conv1", randn(2, 3, 5, 7)),
        MessageKind.ConvForwardReply => new ConvForwardReply("layer1.0.conv1", randn(2, 4, 5, 7)),
        MessageKind.ConvBackward => new ConvBackward("conv1", randn(2, 4, 3, 3), NeedInputGradient: true),
        MessageKind.ConvBackwardReply => new ConvBackwardReply("conv1", randn(2, 3, 6, 6), randn(4, 3, 3, 3)),
        MessageKind.WeightGradients => new WeightGradients([new("conv1.weight", randn(4, 3, 3, 3)), new("bn1.weight", zeros(0))]),
        MessageKind.StepResult => new StepResult(7, 0.25, 30, 32, 1.5, 123456789, 0.125, 0.0625, 0.03125, 2.5, 12),
        MessageKind.Error => new ErrorMessage("enclave: out of budget at layer ‘features.3’"),
        MessageKind.ProvisionData => new ProvisionData("train", randint(0, 256, [3, 1, 4, 4], dtype: ScalarType.Byte), tensor(new byte[] { 1, 0, 9 })),
        MessageKind.ProvisionSealed => new ProvisionSealed("test", SealedPart.Chunk, 5, randint(0, 256, [40], dtype: ScalarType.Byte)),
        MessageKind.DataReady => new DataReady("train", 60000),
        MessageKind.SelectBatch => new SelectBatch("train", tensor(new long[] { 4, 0, 17 }), 1234),
        MessageKind.ExportRequest => new ExportRequest(),
        MessageKind.StateExport => new StateExport([new("bn.running_mean", randn(4)), new("bn.num_batches_tracked", tensor(12L))],
            randint(0, 256, [17], dtype: ScalarType.Byte), randint(0, 256, [64], dtype: ScalarType.Byte)),
        MessageKind.EvaluationRequest => new EvaluationRequest("test"),
        MessageKind.EvaluationReport => new EvaluationReport("test", randint(0, 9, [3, 3], dtype: ScalarType.Int64), randint(0, 256, [30], dtype: ScalarType.Byte), true),
        MessageKind.LoadState => new LoadState([new("conv1.weight", randn(4, 3, 3, 3)), new("bn.num_batches_tracked", tensor(12L))],
            randint(0, 256, [9], dtype: ScalarType.Byte), zeros(0, dtype: ScalarType.Byte)),
        MessageKind.StateLoaded => new StateLoaded(Authenticated: true),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindRoundTripsBitForBit(string name)
    {
        using var scope = NewDisposeScope();
        BoundaryMessage original = Sample(Enum.Parse<MessageKind>(name));
        BoundaryMessage decoded = FrameCodec.Decode(FrameCodec.Encode(original));

        Assert.Equal(original.GetType(), decoded.GetType());
        Assert.Equal(original.Kind, decoded.Kind);
        Assert.Equal(original.Layer, decoded.Layer);
        Assert.Equal(original.Tensors.Count, decoded.Tensors.Count);
        for (int i = 0; i < original.Tensors.Count; i++)
        {
            Assert.Equal(original.Tensors[i].dtype, decoded.Tensors[i].dtype);
            Assert.Equal(original.Tensors[i].shape, decoded.Tensors[i].shape);
            Assert.True((original.Tensors[i] == decoded.Tensors[i]).all().item<bool>());
            Assert.NotEqual(original.Tensors[i].Handle, decoded.Tensors[i].Handle);
        }
        if (original.Tensors.Count == 0) Assert.Equal(original, decoded); // records compare by value
        Assert.Equal(FrameCodec.Encode(original), FrameCodec.Encode(decoded)); // every other field too
    }

    [Fact]
    public void StreamRoundTripAndCleanEnd()
    {
        using var scope = NewDisposeScope();
        using var stream = new MemoryStream();
        FrameCodec.Write(stream, new RunStep(StepKind.Train, 1));
        FrameCodec.Write(stream, new ConvForward("a", ones(1, 2, 2, 2)));
        stream.Position = 0;
        Assert.Equal(new RunStep(StepKind.Train, 1), FrameCodec.Read(stream));
        Assert.Equal("a", FrameCodec.Read(stream)!.Layer);
        Assert.Null(FrameCodec.Read(stream));
    }

    [Fact]
    public void MalformedFramesAreRefusedWithTheReason()
    {
        using var scope = NewDisposeScope();
        byte[] good = FrameCodec.Encode(new ConvForward("conv1", ones(2, 3, 4, 4)));

        Assert.Contains("length prefix says", Refuse(good[..^1]));
        Assert.Contains("not even a length prefix", Refuse(good[..2]));
        Assert.Contains("version 9", Refuse(Patched(good, 4, 9)));
        Assert.Contains("Unknown message kind 99", Refuse(Patched(good, 5, 99)));

        // A truncated tensor: shorten the data but fix the prefix, so only the tensor check can see it.
        byte[] cut = good[..^8];
        BinaryPrimitives.WriteInt32LittleEndian(cut, cut.Length - 4);
        Assert.Contains("Truncated frame: residual", Refuse(cut));

        // Layout: prefix 4, version 1, kind 1, layer length 4 + "conv1" 5, then type, rank, dims.
        int type = 4 + 2 + 4 + 5;
        Assert.Contains("element type code 3 may not cross", Refuse(Patched(good, type, 3))); // 3 = int32
        Assert.Contains("rank 200 exceeds 8", Refuse(Patched(good, type + 1, 200)));
        byte[] huge = (byte[])good.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(huge.AsSpan(type + 2), long.MaxValue / 2);
        Assert.Contains("dimension 0", Refuse(huge));

        byte[] trailing = [.. good, 0, 0];
        BinaryPrimitives.WriteInt32LittleEndian(trailing, trailing.Length - 4);
        Assert.Contains("2 unexpected bytes", Refuse(trailing));

        byte[] longName = FrameCodec.Encode(new ErrorMessage(new string('x', 100)));
        Assert.Contains("outside 0..10", Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(longName, new FrameLimits(MaxStringBytes: 10))).Message);
    }

    [Fact]
    public void StreamLengthBeyondLimitIsRefusedBeforeAllocating()
    {
        using var stream = new MemoryStream();
        stream.Write(BitConverter.GetBytes(1_000_000));
        stream.Position = 0;
        Assert.Contains("Frame length 1000000 outside", Assert.Throws<FrameFormatException>(() => FrameCodec.Read(stream, new FrameLimits(MaxFrameBytes: 1000))).Message);
        using var cut = new MemoryStream([10, 0, 0, 0, FrameCodec.Version, 2]);
        Assert.Throws<EndOfStreamException>(() => FrameCodec.Read(cut));
    }

    [Fact]
    public void ForbiddenElementTypeIsRefusedOnEncode()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("Int32 may not cross", Assert.Throws<FrameFormatException>(() => FrameCodec.Encode(new ConvForward("c", zeros(2, dtype: ScalarType.Int32)))).Message);
    }

    // The kinds the former encoder knew (1–10); later kinds have no legacy bytes to compare with.
    public static TheoryData<string> CompatibilityCases() =>
        new([.. Enum.GetValues<MessageKind>().Where(k => k <= MessageKind.Error).Select(k => k.ToString()), "NonContiguous", "EveryType", "Scalar", "Empty", "Unicode", "NoInputGradient"]);

    private static BoundaryMessage CompatibilitySample(string name) => name switch
    {
        "NonContiguous" => new ConvForward("features.0", arange(24, dtype: ScalarType.Float32).reshape(2, 3, 4).transpose(0, 2)),
        "EveryType" => new WeightsMessage([
            new("f32", randn(2, 2)), new("f64", randn(3, dtype: ScalarType.Float64)), new("i64", tensor(new long[] { -1, long.MaxValue })),
            new("u8", tensor(new byte[] { 0, 255 })), new("bool", tensor(new[] { true, false, true }))]),
        "Scalar" => new ConvForwardReply("s", tensor(3.5f)),
        "Empty" => new ConvBackwardReply("e", zeros(0)),
        "Unicode" => new ErrorMessage("ß → ‘x’ \U0001F600 and a lone \uD800"),
        "NoInputGradient" => new ConvBackwardReply("conv1", null),
        _ => Sample(Enum.Parse<MessageKind>(name)),
    };

    [Theory]
    [MemberData(nameof(CompatibilityCases))]
    public void EncodeAndWriteProduceTheBytesOfTheFormerEncoder(string name)
    {
        using var scope = NewDisposeScope();
        BoundaryMessage message = CompatibilitySample(name);
        byte[] legacy = LegacyFrameEncoder.Encode(message);

        Assert.Equal(legacy, FrameCodec.Encode(message));
        using var stream = new MemoryStream();
        FrameCodec.Write(stream, message);
        Assert.Equal(legacy, stream.ToArray());
        Assert.Equal(legacy, FrameCodec.Encode(FrameCodec.Decode(legacy))); // and what decodes re-encodes identically
    }

    [Fact]
    public void EveryTruncationOfASmallFrameIsRefusedWithoutLeaking()
    {
        using var scope = NewDisposeScope();
        MessageKind[] kinds = [MessageKind.ProvisionBatch, MessageKind.Weights, MessageKind.ConvBackward, MessageKind.ConvBackwardReply, MessageKind.WeightGradients, MessageKind.StepResult];
        foreach (MessageKind kind in kinds)
        {
            byte[] frame = FrameCodec.Encode(Sample(kind));
            long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (int cut = 0; cut < frame.Length; cut++)
            {
                byte[] piece = frame[..cut];
                Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(piece)); // the prefix disagrees, or there is none
                if (cut >= 4)
                {
                    byte[] consistent = (byte[])piece.Clone(); // a prefix that agrees: only the field checks can see the cut
                    BinaryPrimitives.WriteInt32LittleEndian(consistent, cut - 4);
                    Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(consistent));
                }
                using var stream = new TrickleStream(piece, 5); // the prefix promises the whole frame; the stream ends early
                if (cut == 0) Assert.Null(FrameCodec.Read(stream));
                else Assert.Throws<EndOfStreamException>(() => FrameCodec.Read(stream));
            }
            Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // every half-decoded tensor was freed
            using (BoundaryMessage whole = FrameCodec.Decode(frame)) // the count does see decoded tensors
                Assert.Equal(live + whole.Tensors.Count, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }

    [Fact]
    public void StreamReadChecksTensorSizesBeforeReadingTheirData()
    {
        using var scope = NewDisposeScope();
        byte[] frame = FrameCodec.Encode(new ConvForward("conv1", ones(1000)));
        int dimension = 4 + 2 + 4 + 5 + 2; // prefix, version, kind, "conv1", type, rank
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(dimension), 2000); // 8000 bytes claimed, 4000 present
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using var stream = new TrickleStream(frame, 64);
        Assert.Contains("Truncated frame: residual of shape [2000…] needs 8000 bytes", Assert.Throws<FrameFormatException>(() => FrameCodec.Read(stream)).Message);
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4093)]
    [InlineData(1 << 20)]
    public void FramesLargerThanTheReadBufferDecodeFromAStreamInAnyPieces(int piece)
    {
        using var scope = NewDisposeScope();
        var limits = new FrameLimits(MaxStringBytes: 1 << 20);
        // 1.5 MiB of tensor data and a 100 kB string: both larger than the reader's 64 KiB field buffer.
        BoundaryMessage big = new ConvForward(new string('L', 100_000), randn(2, 3, 256, 256));
        BoundaryMessage[] messages = [big, new RunStep(StepKind.Train, 8), Sample(MessageKind.Weights), big];
        byte[] bytes = [.. messages.SelectMany(m => FrameCodec.Encode(m, limits))];
        using var stream = new TrickleStream(bytes, piece);
        foreach (BoundaryMessage m in messages) // each read stops at its frame's end: the next frame is intact
            Assert.Equal(FrameCodec.Encode(m, limits), FrameCodec.Encode(FrameCodec.Read(stream, limits)!, limits));
        Assert.Null(FrameCodec.Read(stream, limits));
    }

    [Fact]
    public void WriteGathersFieldsAndSendsLargeTensorsFromTheirOwnMemory()
    {
        using var scope = NewDisposeScope();
        using var small = new RecordingStream();
        FrameCodec.Write(small, Sample(MessageKind.ConvBackward));
        Assert.Single(small.Writes); // a small frame, tensor included, is one write

        using var large = new RecordingStream();
        Tensor data = randn(1 << 20); // 4 MiB
        FrameCodec.Write(large, new ConvForward("conv1", data));
        Assert.Equal([4 + 2 + 4 + 5 + 2 + 8, 4 << 20], large.Writes); // the header, then the tensor's bytes in one piece
    }

    [Fact]
    public void ARefusedMessageWritesNothingAndAllocatesNoFrame()
    {
        using var scope = NewDisposeScope();
        using var stream = new MemoryStream();
        Assert.Contains("Int32 may not cross", Assert.Throws<FrameFormatException>(() => FrameCodec.Write(stream, new ConvForward("c", zeros(4, dtype: ScalarType.Int32)))).Message);
        var limits = new FrameLimits(MaxFrameBytes: 100);
        Assert.Contains("frame of 417 bytes exceeds the limit of 100", Assert.Throws<FrameFormatException>(() => FrameCodec.Write(stream, new ConvForward("c", zeros(100)), limits)).Message);
        Assert.Contains("exceeds the limit of 100", Assert.Throws<FrameFormatException>(() => FrameCodec.Encode(new ConvForward("c", zeros(100)), limits)).Message);
        Assert.Equal(0, stream.Length);
    }

    /// <summary>Records the size of every write.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _inner = new();

        public List<int> Writes { get; } = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _inner.Length;

        public override long Position
        {
            get => _inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes.Add(buffer.Length);
            _inner.Write(buffer);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static string Refuse(byte[] frame) => Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(frame)).Message;

    private static byte[] Patched(byte[] frame, int index, byte value)
    {
        byte[] copy = (byte[])frame.Clone();
        copy[index] = value;
        return copy;
    }
}
