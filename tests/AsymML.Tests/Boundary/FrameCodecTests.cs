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
        MessageKind.RunStep => new RunStep(StepKind.Infer, 42),
        MessageKind.Weights => new WeightsMessage([new("features.0.weight", randn(4, 1, 3, 3)), new("fc.bias", randn(10, dtype: ScalarType.Float64))]),
        MessageKind.ConvForward => new ConvForward("layer1.0.conv1", randn(2, 3, 5, 7)),
        MessageKind.ConvForwardReply => new ConvForwardReply("layer1.0.conv1", randn(2, 4, 5, 7)),
        MessageKind.ConvBackward => new ConvBackward("conv1", randn(2, 4, 3, 3), NeedInputGradient: true),
        MessageKind.ConvBackwardReply => new ConvBackwardReply("conv1", randn(2, 3, 6, 6)),
        MessageKind.WeightGradients => new WeightGradients([new("conv1.weight", randn(4, 3, 3, 3)), new("bn1.weight", zeros(0))]),
        MessageKind.StepResult => new StepResult(7, 0.25, 30, 32, 1.5, 123456789),
        MessageKind.Error => new ErrorMessage("enclave: out of budget at layer ‘features.3’"),
        MessageKind.ProvisionData => new ProvisionData("train", randint(0, 256, [3, 1, 4, 4], dtype: ScalarType.Byte), tensor(new byte[] { 1, 0, 9 })),
        MessageKind.ProvisionSealed => new ProvisionSealed("test", SealedPart.Chunk, 5, randint(0, 256, [40], dtype: ScalarType.Byte)),
        MessageKind.DataReady => new DataReady("train", 60000),
        MessageKind.SelectBatch => new SelectBatch("train", tensor(new long[] { 4, 0, 17 }), 1234),
        MessageKind.ExportRequest => new ExportRequest(),
        MessageKind.StateExport => new StateExport([new("bn.running_mean", randn(4)), new("bn.num_batches_tracked", tensor(12L))]),
        MessageKind.EvaluationRequest => new EvaluationRequest("test"),
        MessageKind.EvaluationReport => new EvaluationReport("test", randint(0, 9, [3, 3], dtype: ScalarType.Int64), randint(0, 256, [30], dtype: ScalarType.Byte), true),
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
        using var cut = new MemoryStream([10, 0, 0, 0, 1, 2]);
        Assert.Throws<EndOfStreamException>(() => FrameCodec.Read(cut));
    }

    [Fact]
    public void ForbiddenElementTypeIsRefusedOnEncode()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("Int32 may not cross", Assert.Throws<FrameFormatException>(() => FrameCodec.Encode(new ConvForward("c", zeros(2, dtype: ScalarType.Int32)))).Message);
    }

    private static string Refuse(byte[] frame) => Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(frame)).Message;

    private static byte[] Patched(byte[] frame, int index, byte value)
    {
        byte[] copy = (byte[])frame.Clone();
        copy[index] = value;
        return copy;
    }
}
