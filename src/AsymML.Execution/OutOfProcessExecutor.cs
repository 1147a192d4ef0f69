using AsymML.Optimization;
using System.Diagnostics;
using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;
using AsymML.Boundary.Session;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Execution;

/// <summary>
/// The split executor with the enclave runtime in its own process (<c>AsymML.EnclaveProcess</c>): the host
/// (this process) runs the accelerator and drives the same steps over a Unix domain socket in a private temporary
/// directory, so the two sides share no memory at all. A dead enclave process ends the running step with an
/// <see cref="ExecutionException"/> that says so, with its exit code and last stderr lines, within seconds.
/// </summary>
public sealed class OutOfProcessExecutor : ChannelExecutor
{
    private readonly EnclaveChildProcess _process;
    private readonly IBoundaryEndpoint _host;
    private readonly BoundaryMeter _meter = new();
    private int _disposed;

    /// <summary>Starts the enclave process and waits for it to connect. The enclave makes its initial weights from the
    /// settings' weight seed; an explicit <paramref name="initialState"/> is offered to it as an unauthenticated state
    /// (<see cref="LoadState"/>), which only a session without the owner's key accepts.</summary>
    /// <param name="enclave">Network, ranks and noise of the enclave side (sent to the child in a settings file).</param>
    /// <param name="initialState">Initial weights and BatchNorm buffers, or null for the settings' seed.</param>
    /// <param name="optimizer">Optimizer run by the enclave; null keeps the settings'.</param>
    /// <param name="accelerator">Device and threads of the accelerator.</param>
    /// <param name="transcript">If given, records everything that crosses the host's end of the channel.</param>
    /// <param name="process">How to start the enclave process (threads, environment, timeouts).</param>
    /// <exception cref="ExecutionException">The enclave process could not be started, or exited or failed before it
    /// connected; the message has its exit code and stderr.</exception>
    public OutOfProcessExecutor(EnclaveSettings enclave, StateDict? initialState, OptimizerSettings? optimizer,
        AcceleratorSettings? accelerator = null, BoundaryTranscript? transcript = null, EnclaveProcessOptions? process = null)
    {
        ArgumentNullException.ThrowIfNull(enclave);
        enclave = enclave with { Optimizer = optimizer ?? enclave.Optimizer };
        EnclaveProcessOptions options = process ?? new EnclaveProcessOptions();
        var settings = new EnclaveLaunchSettings(enclave, options.Threads);
        _ = settings.ToJson(); // refuse unwritable settings before anything starts
        Mode = enclave.Ranks.Values.Any(r => r.Split) ? ExecutionMode.Asym : ExecutionMode.TeeOnly;
        AcceleratorRuntime = new AcceleratorRuntime(enclave.Spec, accelerator);
        try
        {
            _process = EnclaveChildProcess.Start(settings, options);
        }
        catch
        {
            AcceleratorRuntime.Dispose();
            throw;
        }
        IBoundaryEndpoint metered = new MeteredEndpoint(_process.Endpoint, _meter);
        _host = transcript?.Record(metered) ?? metered;
        Loop = new HostStepLoop(_host, AcceleratorRuntime, _meter, _process.Watch);
        if (initialState is null) return;
        try
        {
            Loop.ResumeFrom(new TrainingState(initialState, [], []));
        }
        catch (ExecutionException)
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override ExecutionMode Mode { get; }

    /// <summary>The enclave process's id (for monitoring; ending it ends the executor).</summary>
    public int EnclaveProcessId => _process.Id;

    /// <summary>Tests only: the enclave process's exit code after <see cref="Dispose"/> (null if it had to be killed).</summary>
    internal int? EnclaveExitCode => _process.ExitCode;

    /// <summary>The accelerator runtime, for inspection in tests.</summary>
    internal AcceleratorRuntime Accelerator => AcceleratorRuntime;

    private protected override void ThrowIfUnusable() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>The weights of the split convolutions as the enclave last sent them to the accelerator (copies, CPU;
    /// public in the threat model). The other parameters and BatchNorm's statistics stay in the enclave process.</summary>
    public StateDict PublicWeights()
    {
        ThrowIfUnusable();
        return AcceleratorRuntime.Weights();
    }

    /// <summary>Closes the connection (the enclave process then exits), waits up to 5 s for the process and kills it
    /// if it is still there, and frees the accelerator.</summary>
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _host.Dispose();
        _process.Dispose();
        AcceleratorRuntime.Dispose();
    }

    /// <summary>Adds the host's side of the boundary cost to the meter: the time to encode and write each frame it
    /// sends, and the tensor bytes both ways (a socket endpoint cannot tell waiting from decoding, so receiving adds
    /// bytes only).</summary>
    private sealed class MeteredEndpoint(IBoundaryEndpoint inner, BoundaryMeter meter) : IBoundaryEndpoint
    {
        public BoundarySide Side => inner.Side;

        public void Send(BoundaryMessage message)
        {
            long start = Stopwatch.GetTimestamp();
            inner.Send(message);
            meter.Add(start, Bytes(message));
        }

        public BoundaryMessage Receive(TimeSpan timeout)
        {
            BoundaryMessage message = inner.Receive(timeout);
            meter.Add(Stopwatch.GetTimestamp(), Bytes(message));
            return message;
        }

        public void Dispose() => inner.Dispose();

        private static long Bytes(BoundaryMessage message) => message.Tensors.Sum(t => t.numel() * t.ElementSize);
    }
}
