using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;

namespace AsymML.Tests.Boundary;

public class InProcessChannelTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

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
}
