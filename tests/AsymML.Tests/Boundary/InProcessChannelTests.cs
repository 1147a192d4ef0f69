using AsymML.Boundary.Channels;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;

namespace AsymML.Tests.Boundary;

public class InProcessChannelTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60); // generous: only a broken channel waits this long

    [Fact]
    public void ReceiverGetsACopyNotTheSendersTensor()
    {
        using var scope = NewDisposeScope();
        var (host, enclave) = InProcessChannel.CreatePair();
        Tensor residual = ones(1, 2, 3, 3);
        enclave.Send(new ConvForward("conv1", residual));
        residual.mul_(5); // the enclave reuses its buffer after sending
        using BoundaryMessage received = host.Receive(Wait);
        var forward = Assert.IsType<ConvForward>(received);
        Assert.True((forward.Residual == 1).all().item<bool>());
        forward.Residual.zero_();
        Assert.True((residual == 5).all().item<bool>());
    }

    [Fact]
    public void MessagesArriveInOrderBothWays()
    {
        using var scope = NewDisposeScope();
        var (host, enclave) = InProcessChannel.CreatePair();
        host.Send(new RunStep(StepKind.Train, 1));
        host.Send(new RunStep(StepKind.Train, 2));
        enclave.Send(new ErrorMessage("x"));
        Assert.Equal(1, ((RunStep)enclave.Receive(Wait)).Number);
        Assert.Equal(2, ((RunStep)enclave.Receive(Wait)).Number);
        Assert.Equal("x", ((ErrorMessage)host.Receive(Wait)).Text);
    }

    [Fact]
    public void SilenceTimesOutAndClosingIsReportedAsSuch()
    {
        var (host, enclave) = InProcessChannel.CreatePair();
        Assert.Contains("No message from the enclave side", Assert.Throws<TimeoutException>(() => host.Receive(TimeSpan.FromMilliseconds(50))).Message);
        enclave.Dispose();
        Assert.Contains("enclave side closed", Assert.Throws<BoundaryClosedException>(() => host.Receive(Wait)).Message);
        Assert.Throws<BoundaryClosedException>(() => host.Send(new RunStep(StepKind.Train, 1)));
    }

    [Fact]
    public void TranscriptRecordsDirectionKindLayerShapeAndBytes()
    {
        using var scope = NewDisposeScope();
        var (host, enclave) = InProcessChannel.CreatePair();
        using var transcript = new BoundaryTranscript(keepTensors: true);
        IBoundaryEndpoint recordedHost = transcript.Record(host);

        recordedHost.Send(new RunStep(StepKind.Train, 3));
        enclave.Receive(Wait).Dispose();
        enclave.Send(new ConvForward("features.0", full(2, 3, 4, 4, 0.5f)));
        recordedHost.Receive(Wait).Dispose();

        IReadOnlyList<TranscriptEntry> entries = transcript.Entries;
        Assert.Equal(2, entries.Count);
        Assert.Equal((BoundarySide.Enclave, MessageKind.RunStep, 0L), (entries[0].To, entries[0].Kind, entries[0].Bytes));
        Assert.Equal((BoundarySide.Host, MessageKind.ConvForward, "features.0"), (entries[1].To, entries[1].Kind, entries[1].Layer));
        Assert.Equal(new long[] { 2, 3, 4, 4 }, entries[1].Shapes[0]);
        Assert.Equal(2 * 3 * 4 * 4 * 4, entries[1].Bytes);
        Assert.True((entries[1].Tensors[0] == 0.5f).all().item<bool>());
        Assert.Equal(2 * 3 * 4 * 4 * 4, transcript.BytesTo(BoundarySide.Host));
    }

    [Fact]
    public void TheMeterCountsTheByteFrameAndTheReceiverGetsAContiguousCopy()
    {
        using var scope = NewDisposeScope();
        var meter = new BoundaryMeter();
        var (host, enclave) = InProcessChannel.CreatePair(meter: meter);
        Tensor strided = arange(60, dtype: ScalarType.Float32).reshape(3, 4, 5).permute(2, 0, 1); // not contiguous
        var sent = new ConvForward("features.0", strided);
        enclave.Send(sent);
        Assert.Equal(FrameCodec.Encode(sent).Length, meter.Bytes); // as if the byte frame had been built
        using BoundaryMessage received = host.Receive(Wait);
        Tensor copy = ((ConvForward)received).Residual;
        Assert.True(copy.is_contiguous());
        Assert.False(copy.requires_grad);
        Assert.Equal(strided.shape, copy.shape);
        Assert.True((copy == strided).all().item<bool>());
        strided.add_(1); // the sender's storage and the copy are unrelated
        Assert.True((copy == strided - 1).all().item<bool>());
    }

    [Fact]
    public void TheReceiversLimitsAndTheAllowedTypesStillApply()
    {
        using var scope = NewDisposeScope();
        var (host, enclave) = InProcessChannel.CreatePair(new FrameLimits(MaxRank: 3, MaxStringBytes: 8));
        var rank4 = new ConvForward("conv1", ones(1, 2, 3, 3));
        var longName = new ConvForward("features.10", ones(2, 3, 3));
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        enclave.Send(rank4);
        Assert.Contains("rank 4 exceeds 3", Assert.Throws<FrameFormatException>(() => host.Receive(Wait)).Message);
        enclave.Send(longName);
        Assert.Contains("string length 11 outside 0..8", Assert.Throws<FrameFormatException>(() => host.Receive(Wait)).Message);
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // refused frames left nothing behind
        Assert.Contains("Int32 may not cross", Assert.Throws<FrameFormatException>(() => enclave.Send(new ConvForward("c", zeros(2, dtype: ScalarType.Int32)))).Message);
        Assert.Contains("exceeds the limit", Assert.Throws<FrameFormatException>(() =>
            InProcessChannel.CreatePair(new FrameLimits(MaxFrameBytes: 100)).Enclave.Send(new ConvForward("c", zeros(100)))).Message);
        Assert.Throws<TimeoutException>(() => host.Receive(TimeSpan.Zero)); // nothing refused on send was queued
    }

    [Fact]
    public void AMessageInFlightOutlivesTheSendersScopeAndJoinsTheReceiversScope()
    {
        var (host, enclave) = InProcessChannel.CreatePair();
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (NewDisposeScope())
            enclave.Send(new ProvisionBatch(randn(2, 3, 4, 4), tensor(new long[] { 1, 2 }))); // sender's scope ends here
        Tensor input;
        using (NewDisposeScope())
        {
            BoundaryMessage received = host.Receive(Wait);
            input = ((ProvisionBatch)received).Input;
            Assert.Equal(new long[] { 2, 3, 4, 4 }, input.shape); // still valid
        }
        Assert.True(input.IsInvalid); // disposed with the receiver's scope
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void FramesNobodyWillReadAreFreedWhenTheReceiverCloses()
    {
        var (host, enclave) = InProcessChannel.CreatePair();
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (NewDisposeScope())
        {
            enclave.Send(new ConvForward("conv1", ones(2, 3, 4, 4)));
            enclave.Send(new ConvForward("conv2", ones(2, 3, 4, 4)));
        }
        Assert.Equal(live + 2, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // the two copies in flight
        host.Dispose();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        using (NewDisposeScope())
            Assert.Throws<BoundaryClosedException>(() => enclave.Send(new ConvForward("conv3", ones(1))));
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // a frame refused by a closed channel is freed
    }
}
