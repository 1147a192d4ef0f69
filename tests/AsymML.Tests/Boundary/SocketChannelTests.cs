using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;
using Xunit.Abstractions;

namespace AsymML.Tests.Boundary;

public sealed class SocketChannelTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Bounds waits that should succeed: generous, so that a loaded machine (8 runnable threads on 2 cores)
    /// never turns slowness into a failure. Tests that must time out use short timeouts and check only the exception.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("asym");
    private readonly List<IDisposable> _owned = [];

    private string SocketPath => Path.Combine(_directory.FullName, "b.sock");

    public void Dispose()
    {
        foreach (IDisposable d in _owned) d.Dispose();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public void EveryKindRoundTripsBothWaysBitIdentical()
    {
        using var scope = NewDisposeScope();
        var (host, enclave) = Pair();
        foreach (MessageKind kind in Enum.GetValues<MessageKind>())
        {
            BoundaryMessage original = FrameCodecTests.Sample(kind);
            host.Send(original);
            AssertIdentical(original, enclave.Receive(Wait));
            enclave.Send(original);
            AssertIdentical(original, host.Receive(Wait));
        }
    }

    [Fact]
    public async Task FortyMegabyteTensorRoundTripsBothWaysBitIdentical()
    {
        using var scope = NewDisposeScope();
        var (host, enclave) = Pair();
        var original = new ConvForward("features.0", randn(10 * 1024 * 1024)); // 40 MiB of float32
        foreach (var (from, to) in new[] { (enclave, host), (host, enclave) })
        {
            var clock = Stopwatch.StartNew();
            Task send = Task.Run(() => from.Send(original));
            using BoundaryMessage received = to.Receive(Wait);
            await send.WaitAsync(Wait);
            clock.Stop();
            AssertIdentical(original, received);
            output.WriteLine($"{from.Side} → {to.Side}: 40 MiB in {clock.Elapsed.TotalMilliseconds:0} ms = {40 / clock.Elapsed.TotalSeconds:0} MiB/s (encode + socket + decode)");
        }
    }

    [Fact]
    public void ReceiverGetsACopyNotTheSendersTensor()
    {
        using var scope = NewDisposeScope();
        var (host, enclave) = Pair();
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
    public async Task ConcurrentSendersNeverInterleaveFrames()
    {
        using var scope = NewDisposeScope();
        var (host, enclave) = Pair();
        const int Senders = 4, Each = 25;
        Task[] senders = Enumerable.Range(0, Senders).Select(s => Task.Run(() =>
        {
            for (int i = 0; i < Each; i++)
            {
                using Tensor t = full(16 * 1024, s * 1000 + i, dtype: ScalarType.Float32); // 64 KiB: several writes each
                enclave.Send(new ConvForward($"s{s}", t));
            }
        })).ToArray();
        var next = new int[Senders];
        for (int n = 0; n < Senders * Each; n++)
        {
            using BoundaryMessage m = host.Receive(Wait);
            var forward = Assert.IsType<ConvForward>(m);
            int s = int.Parse(forward.ConvLayer[1..]);
            Assert.True((forward.Residual == s * 1000 + next[s]).all().item<bool>());
            next[s]++;
        }
        await Task.WhenAll(senders).WaitAsync(Wait);
        Assert.All(next, count => Assert.Equal(Each, count));
    }

    [Fact]
    public async Task PeerDisposalIsReportedToABlockedReceiveAndToSend()
    {
        var (host, enclave) = Pair();
        Task<Exception?> receiving = Task.Run(() => (Exception?)Record.Exception(() => host.Receive(Wait)));
        Assert.True(SpinWait.SpinUntil(() => host.IsReceiving, Wait), "the receive never started");
        var clock = Stopwatch.StartNew();
        enclave.Dispose();
        // Had it not noticed, it would end with its own TimeoutException after Wait.
        Exception? thrown = await receiving.WaitAsync(2 * Wait);
        output.WriteLine($"closed peer noticed after {clock.Elapsed.TotalMilliseconds:0.0} ms");
        Assert.Contains("enclave side closed the connection", Assert.IsType<BoundaryClosedException>(thrown).Message);
        Assert.False(host.IsPeerConnected);
        Assert.Contains("enclave side closed", Assert.Throws<BoundaryClosedException>(() => host.Receive(Wait)).Message);
        Assert.Contains("enclave side closed", Assert.Throws<BoundaryClosedException>(() => host.Send(new RunStep(StepKind.Train, 1))).Message);
        Assert.Throws<ObjectDisposedException>(() => enclave.Send(new RunStep(StepKind.Train, 1)));
    }

    [Fact]
    public void HostDisposalIsSeenByTheEnclaveWithoutAPendingCall()
    {
        var (host, enclave) = Pair();
        Assert.True(enclave.IsPeerConnected);
        host.Dispose();
        Assert.False(enclave.IsPeerConnected);
        // Not a TimeoutException after Wait: the closed connection ended the receive.
        Assert.Contains("host side closed the connection", Assert.Throws<BoundaryClosedException>(() => enclave.Receive(Wait)).Message);
        Assert.Contains("host side closed", Assert.Throws<BoundaryClosedException>(() => enclave.Send(new ErrorMessage("bye"))).Message);
    }

    [Fact]
    public async Task DisposingAnEndpointWakesItsOwnBlockedReceive()
    {
        var (host, _) = Pair();
        Task<Exception?> receiving = Task.Run(() => (Exception?)Record.Exception(() => host.Receive(Wait)));
        Assert.True(SpinWait.SpinUntil(() => host.IsReceiving, Wait), "the receive never started"); // disposed before: ObjectDisposedException
        host.Dispose();
        Exception? thrown = await receiving.WaitAsync(2 * Wait);
        Assert.Contains("disposed while receiving", Assert.IsType<BoundaryClosedException>(thrown).Message);
    }

    [Fact]
    public void SilenceTimesOutAndTheChannelStillWorks()
    {
        var (host, enclave) = Pair();
        var clock = Stopwatch.StartNew();
        Assert.Contains("No message from the enclave side within 0.05 s", Assert.Throws<TimeoutException>(() => host.Receive(TimeSpan.FromMilliseconds(50))).Message);
        Assert.True(clock.ElapsedMilliseconds >= 45, $"gave up after {clock.ElapsedMilliseconds} ms"); // load only lengthens a wait: no upper bound
        Assert.Throws<TimeoutException>(() => enclave.Receive(TimeSpan.Zero));
        enclave.Send(new RunStep(StepKind.Train, 5));
        Assert.Equal(new RunStep(StepKind.Train, 5), host.Receive(Wait));
        host.Send(new StepResult(5, 0.5, 1, 2, 0.1, 10));
        Assert.Equal(new StepResult(5, 0.5, 1, 2, 0.1, 10), enclave.Receive(Wait));
    }

    [Fact]
    public async Task AFrameArrivingInPiecesIsNeverCutByTheTimeout()
    {
        using var scope = NewDisposeScope();
        var (host, raw) = RawPair();
        byte[] frame = FrameCodec.Encode(new ConvForward("conv1", arange(1000, dtype: ScalarType.Float32)));
        raw.Send(frame.AsSpan(0, 3)); // inside the length prefix: the frame has begun before the receive starts
        Task later = Task.Run(() =>
        {
            Assert.True(SpinWait.SpinUntil(() => host.IsReceiving, Wait), "the receive never started");
            Thread.Sleep(150); // at least this long after the receive began: past its 100 ms, however loaded the machine
            raw.Send(frame.AsSpan(3, 500));
            Thread.Sleep(150);
            raw.Send(frame.AsSpan(503));
        });
        using BoundaryMessage m = host.Receive(TimeSpan.FromMilliseconds(100)); // begins in time, completes later
        Assert.True((((ConvForward)m).Residual == arange(1000, dtype: ScalarType.Float32)).all().item<bool>());
        await later.WaitAsync(Wait);
        Assert.Throws<TimeoutException>(() => host.Receive(TimeSpan.FromMilliseconds(20)));
        raw.Send(FrameCodec.Encode(new RunStep(StepKind.Infer, 9)));
        Assert.Equal(new RunStep(StepKind.Infer, 9), host.Receive(Wait));
    }

    [Fact]
    public void GarbageFromARawPeerIsAFrameFormatErrorAndEndsReceiving()
    {
        var (host, raw) = RawPair();
        byte[] garbage = [8, 0, 0, 0, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE];
        raw.Send(garbage);
        Assert.Contains("version 238", Assert.Throws<FrameFormatException>(() => host.Receive(Wait)).Message);
        Assert.Contains("malformed frame", Assert.Throws<BoundaryClosedException>(() => host.Receive(Wait)).Message);

        // Sending still works, and the bytes on the wire are plain codec frames.
        host.Send(new RunStep(StepKind.Train, 3));
        using var stream = new NetworkStream(raw, ownsSocket: false);
        Assert.Equal(new RunStep(StepKind.Train, 3), FrameCodec.Read(stream));
    }

    [Fact]
    public void TextGarbageAndOversizedLengthPrefixesAreRefusedBeforeAllocating()
    {
        var limits = new FrameLimits(MaxFrameBytes: 1000);
        var (host, raw) = RawPair(limits);
        // Only the prefix is sent: had the receiver tried to read the payload it would still be waiting.
        raw.Send(BitConverter.GetBytes(1_000_000));
        // Reading the payload first would have ended in a mid-frame stall (BoundaryClosedException), not this.
        Assert.Contains("Frame length 1000000 outside 2..1000", Assert.Throws<FrameFormatException>(() => host.Receive(Wait)).Message);

        var (host2, raw2) = RawPair(limits, "c.sock");
        raw2.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n"));
        Assert.Contains($"Frame length {BinaryPrimitives.ReadInt32LittleEndian("GET "u8)} outside", Assert.Throws<FrameFormatException>(() => host2.Receive(Wait)).Message);

        var (host3, raw3) = RawPair(limits, "d.sock");
        raw3.Send([0xFF, 0xFF, 0xFF, 0xFF]);
        Assert.Contains("Frame length -1 outside", Assert.Throws<FrameFormatException>(() => host3.Receive(Wait)).Message);
    }

    [Fact]
    public void APeerVanishingMidFrameIsAClosedBoundary()
    {
        var (host, raw) = RawPair();
        raw.Send(FrameCodec.Encode(new ErrorMessage("cut short"))[..10]);
        raw.Dispose();
        Assert.Contains("enclave side closed the connection in the middle of a frame", Assert.Throws<BoundaryClosedException>(() => host.Receive(Wait)).Message);
    }

    [Fact]
    public async Task ALargeFrameArrivingInRandomPiecesIsReadWholeAndTheNextFrameIsIntact()
    {
        using var scope = NewDisposeScope();
        var (host, raw) = RawPair();
        var big = new ConvForward("features.3", randn(3, 64, 64, 64)); // 3 MiB: many socket reads, beyond any read buffer
        byte[] bytes = [.. FrameCodec.Encode(big), .. FrameCodec.Encode(new RunStep(StepKind.Train, 2))];
        var random = new Random(7);
        Task sending = Task.Run(() =>
        {
            for (int at = 0; at < bytes.Length;)
            {
                int piece = Math.Min(bytes.Length - at, random.Next(1, 200_000));
                raw.Send(bytes.AsSpan(at, piece));
                at += piece;
                if (random.Next(8) == 0) Thread.Sleep(5);
            }
        });
        using (BoundaryMessage received = host.Receive(Wait))
            AssertIdentical(big, received);
        Assert.Equal(new RunStep(StepKind.Train, 2), host.Receive(Wait));
        await sending.WaitAsync(Wait);
    }

    [Fact]
    public async Task TheBytesOnTheWireAreExactlyTheEncodedFrame()
    {
        using var scope = NewDisposeScope();
        var (host, raw) = RawPair();
        var message = new WeightsMessage([new("a", randn(512, 1024)), new("b", randn(3).t()), new("c", zeros(0))]); // 2 MiB, then small ones
        byte[] expected = FrameCodec.Encode(message);
        Task sending = Task.Run(() => host.Send(message));
        using var stream = new NetworkStream(raw, ownsSocket: false);
        byte[] wire = new byte[expected.Length];
        stream.ReadExactly(wire);
        await sending.WaitAsync(Wait);
        Assert.Equal(expected, wire);
        Assert.Equal(0, raw.Available); // and nothing more
    }

    [Fact]
    public async Task APeerVanishingInsideTensorDataIsAClosedBoundaryAndNothingLeaks()
    {
        using var scope = NewDisposeScope();
        var (host, raw) = RawPair();
        byte[] frame = FrameCodec.Encode(new ConvForward("conv1", randn(256, 1024))); // 1 MiB
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Task sending = Task.Run(() => // more than the socket holds: the receiver must be reading meanwhile
        {
            raw.Send(frame.AsSpan(0, frame.Length / 2));
            raw.Shutdown(SocketShutdown.Both);
        });
        Assert.Contains("closed the connection in the middle of a frame", Assert.Throws<BoundaryClosedException>(() => host.Receive(Wait)).Message);
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // the half-filled tensor was freed
        await sending.WaitAsync(Wait);
    }

    [Fact]
    public void ConnectingToAMissingPathFailsInTimeNamingThePath()
    {
        string missing = Path.Combine(_directory.FullName, "none.sock");
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<TimeoutException>(() => SocketChannel.Connect(missing, BoundarySide.Enclave, TimeSpan.FromMilliseconds(300)));
        Assert.True(clock.ElapsedMilliseconds >= 290, $"gave up after {clock.ElapsedMilliseconds} ms"); // retried until the timeout; no upper bound
        Assert.Contains(missing, e.Message);
        Assert.Contains("no such socket file", e.Message);
    }

    [Fact]
    public async Task ConnectWaitsForAListenerThatComesLater()
    {
        Task<SocketChannelEndpoint> connecting = Task.Run(() => SocketChannel.Connect(SocketPath, BoundarySide.Enclave, Wait));
        await Task.Delay(200);
        SocketChannelListener listener = Own(SocketChannel.Listen(SocketPath, BoundarySide.Host));
        SocketChannelEndpoint host = Own(listener.Accept(Wait));
        SocketChannelEndpoint enclave = Own(await connecting.WaitAsync(Wait));
        host.Send(new RunStep(StepKind.Train, 1));
        Assert.Equal(new RunStep(StepKind.Train, 1), enclave.Receive(Wait));
        Assert.Equal((BoundarySide.Host, BoundarySide.Enclave), (host.Side, host.PeerSide));
    }

    [Fact]
    public async Task OnePeerOnlyAndTheListenerCleansUp()
    {
        SocketChannelListener listener = Own(SocketChannel.Listen(SocketPath, BoundarySide.Host));
        Assert.True(File.Exists(SocketPath));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        Assert.Contains($"No enclave process connected to {SocketPath} within 0.05 s", Assert.Throws<TimeoutException>(() => listener.Accept(TimeSpan.FromMilliseconds(50))).Message);

        Task<SocketChannelEndpoint> first = Task.Run(() => SocketChannel.Connect(SocketPath, BoundarySide.Enclave, Wait));
        Own(listener.Accept(Wait));
        Own(await first.WaitAsync(Wait));
        Assert.False(File.Exists(SocketPath));
        Assert.Throws<TimeoutException>(() => SocketChannel.Connect(SocketPath, BoundarySide.Enclave, TimeSpan.FromMilliseconds(100)));
        Assert.Contains("already accepted", Assert.Throws<InvalidOperationException>(() => listener.Accept(Wait)).Message);

        SocketChannelListener unused = SocketChannel.Listen(SocketPath, BoundarySide.Host);
        Assert.True(File.Exists(SocketPath));
        unused.Dispose();
        Assert.False(File.Exists(SocketPath));
        Assert.Throws<ObjectDisposedException>(() => unused.Accept(Wait));
    }

    [Fact]
    public void OccupiedOrOverlongPathsAreRefused()
    {
        File.WriteAllText(SocketPath, "not a socket");
        Assert.Contains(SocketPath, Assert.Throws<IOException>(() => SocketChannel.Listen(SocketPath, BoundarySide.Host)).Message);
        Assert.Equal("not a socket", File.ReadAllText(SocketPath)); // never deleted

        string longPath = Path.Combine(_directory.FullName, new string('s', 120));
        Assert.Contains("at most 107", Assert.Throws<ArgumentException>(() => SocketChannel.Listen(longPath, BoundarySide.Host)).Message);
        Assert.Throws<ArgumentException>(() => SocketChannel.Connect(longPath, BoundarySide.Enclave, Wait));
    }

    private (SocketChannelEndpoint Host, SocketChannelEndpoint Enclave) Pair(FrameLimits? limits = null)
    {
        SocketChannelListener listener = Own(SocketChannel.Listen(SocketPath, BoundarySide.Host, limits));
        Task<SocketChannelEndpoint> enclave = Task.Run(() => SocketChannel.Connect(SocketPath, BoundarySide.Enclave, Wait, limits));
        SocketChannelEndpoint host = Own(listener.Accept(Wait));
        return (host, Own(enclave.Result));
    }

    /// <summary>The host endpoint and a plain socket connected to it in place of the enclave.</summary>
    private (SocketChannelEndpoint Host, Socket Raw) RawPair(FrameLimits? limits = null, string name = "b.sock")
    {
        string path = Path.Combine(_directory.FullName, name);
        SocketChannelListener listener = Own(SocketChannel.Listen(path, BoundarySide.Host, limits));
        Socket raw = Own(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified));
        raw.Connect(new UnixDomainSocketEndPoint(path));
        return (Own(listener.Accept(Wait)), raw);
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private static void AssertIdentical(BoundaryMessage original, BoundaryMessage received)
    {
        Assert.Equal(original.GetType(), received.GetType());
        Assert.Equal(original.Kind, received.Kind);
        Assert.Equal(original.Layer, received.Layer);
        Assert.Equal(original.Tensors.Count, received.Tensors.Count);
        for (int i = 0; i < original.Tensors.Count; i++)
        {
            Assert.Equal(original.Tensors[i].dtype, received.Tensors[i].dtype);
            Assert.Equal(original.Tensors[i].shape, received.Tensors[i].shape);
            Assert.True(original.Tensors[i].bytes.SequenceEqual(received.Tensors[i].bytes), $"tensor {i} differs");
            Assert.NotEqual(original.Tensors[i].Handle, received.Tensors[i].Handle);
        }
        if (original.Tensors.Count == 0) Assert.Equal(original, received);
        if (original is ConvBackward b) Assert.Equal(b.NeedInputGradient, ((ConvBackward)received).NeedInputGradient);
        if (original is WeightsMessage w) Assert.Equal(w.Weights.Select(t => t.Name), ((WeightsMessage)received).Weights.Select(t => t.Name));
        if (original is WeightGradients g) Assert.Equal(g.Gradients.Select(t => t.Name), ((WeightGradients)received).Gradients.Select(t => t.Name));
    }
}
