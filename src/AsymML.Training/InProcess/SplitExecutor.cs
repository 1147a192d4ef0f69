using AsymML.Optimization;
using AsymML.Accelerator;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Transcript;
using AsymML.Enclave;
using AsymML.Network;
using static TorchSharp.torch;
using AsymML.Boundary.Session;

using AsymML.Execution;

namespace AsymML.Training.InProcess;

/// <summary>
/// Runs a network through the enclave runtime (on its own thread, in this process) and the accelerator runtime (on
/// the caller's thread), which meet only through an <see cref="InProcessChannel"/>. With split ranks this is
/// AsymML; with <see cref="EnclaveSettings.TeeOnly"/> every convolution stays inside (the TEE-only baseline).
/// </summary>
public sealed class SplitExecutor : ChannelExecutor
{
    private readonly IBoundaryEndpoint _host;
    private readonly EnclaveRuntime _enclave;
    private readonly Thread _enclaveThread;
    private readonly BoundaryMeter _meter = new();

    /// <summary>Starts both runtimes. The enclave makes its model from <paramref name="initialState"/>, passed as a
    /// trusted setting (this process is the data owner's in the emulation), or from its settings' weight seed.</summary>
    /// <param name="enclave">Network, ranks and noise of the enclave side.</param>
    /// <param name="initialState">Initial weights and BatchNorm buffers (copied), or null for the settings' seed.</param>
    /// <param name="optimizer">Optimizer run by the enclave on its weights; null keeps the settings'.</param>
    /// <param name="accelerator">Device and threads of the accelerator.</param>
    /// <param name="transcript">If given, records everything that crosses the host's end of the channel.</param>
    public SplitExecutor(EnclaveSettings enclave, StateDict? initialState, OptimizerSettings? optimizer,
        AcceleratorSettings? accelerator = null, BoundaryTranscript? transcript = null)
    {
        ArgumentNullException.ThrowIfNull(enclave);
        enclave = enclave with { Optimizer = optimizer ?? enclave.Optimizer, InitialState = initialState ?? enclave.InitialState };
        Mode = enclave.Ranks.Values.Any(r => r.Split) ? ExecutionMode.Asym : ExecutionMode.TeeOnly;
        (IBoundaryEndpoint host, IBoundaryEndpoint enclaveEnd) = InProcessChannel.CreatePair(meter: _meter);
        (HostEndpoint, EnclaveEndpoint) = (host, enclaveEnd);
        _host = transcript?.Record(host) ?? host;
        AcceleratorRuntime = new AcceleratorRuntime(enclave.Spec, accelerator);
        _enclave = new EnclaveRuntime(enclaveEnd, enclave);
        _enclaveThread = new Thread(() => _enclave.Serve()) { IsBackground = true, Name = "AsymML enclave" };
        _enclaveThread.Start();
        Loop = new HostStepLoop(_host, AcceleratorRuntime, _meter);
    }

    /// <inheritdoc />
    public override ExecutionMode Mode { get; }

    /// <summary>The enclave runtime, for trusted inspection in tests.</summary>
    internal EnclaveRuntime Enclave => _enclave;

    /// <summary>Tests only: the host's end of the channel (before any transcript).</summary>
    internal IBoundaryEndpoint HostEndpoint { get; }

    /// <summary>Tests only: the enclave's end of the channel.</summary>
    internal IBoundaryEndpoint EnclaveEndpoint { get; }

    /// <summary>The accelerator runtime, for inspection in tests.</summary>
    internal AcceleratorRuntime Accelerator => AcceleratorRuntime;

    /// <inheritdoc />
    public override void Dispose()
    {
        _host.Dispose();
        _enclaveThread.Join(TimeSpan.FromSeconds(5));
        _enclave.Dispose();
        AcceleratorRuntime.Dispose();
    }
}
