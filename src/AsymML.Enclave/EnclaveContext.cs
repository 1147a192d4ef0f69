using System.Diagnostics;
using AsymML.Boundary.Channels;
using AsymML.Boundary.Messages;
using AsymML.Decomposition;
using AsymML.Boundary.Session;
using AsymML.Enclave.Integrity;
using static TorchSharp.torch;
using AsymML.Enclave.Masking;

namespace AsymML.Enclave;

/// <summary>What the trusted convolutions of one runtime share: the endpoint, the settings, the noise mask, the time
/// spent waiting for the host (not enclave compute), and the first failure raised inside an autograd callback
/// (exceptions must not escape TorchSharp's backward: they are parked here and rethrown after it returns).</summary>
internal sealed class EnclaveContext(IBoundaryEndpoint endpoint, EnclaveSettings settings) : IDisposable
{
    private readonly Stopwatch _waiting = new();
    private Exception? _failure;

    public IBoundaryEndpoint Endpoint { get; } = endpoint;

    public EnclaveSettings Settings { get; } = settings;

    public MemoryLedger Ledger { get; } = new(settings.MemoryBudgetBytes);

    public NoiseMask? Noise { get; } = Checked(settings).NoiseRatio > 0 ? new NoiseMask(settings.NoiseRatio, settings.NoiseSeed) : null;

    /// <summary>The Gaussian mechanism on residuals, when the settings ask for it.</summary>
    public ResidualMechanism? Mechanism { get; } = settings.ResidualPrivacy is { } p ? new ResidualMechanism(p, settings.NoiseSeed) : null;

    /// <summary>The accountant of the mechanism's releases, per image.</summary>
    public ResidualLedger? Privacy { get; } = settings.ResidualPrivacy is { } p ? new ResidualLedger(p) : null;

    /// <summary>What leaves the enclave for the residual of <paramref name="layer"/>: the mechanism's release, the
    /// noise-masked residual (nsr), or the residual itself.</summary>
    public Tensor Protect(string layer, Tensor residual) =>
        Mechanism?.Apply(layer, residual) ?? Noise?.Apply(residual) ?? residual;

    private static EnclaveSettings Checked(EnclaveSettings settings)
    {
        settings.ValidateNoise(); // before any noise source is made
        return settings;
    }

    /// <summary>DarKnight-style mixing of what leaves each split convolution; null when the settings ask for none.</summary>
    public DarknightMask? Masking { get; } = settings.Mask is { } mask ? new DarknightMask(mask) : null;

    /// <summary>Checks every accelerator result the settings ask for.</summary>
    public ResultVerifier Verifier { get; } = new(settings.Verification);

    /// <summary>Whether the step running trains (a split convolution then keeps its residual for the dW_U check).</summary>
    public bool Training { get; set; }

    /// <summary>The number of the step running (named by integrity failures).</summary>
    public long Step { get; set; }

    public TimeSpan Waiting => _waiting.Elapsed;

    /// <summary>Receives the host's reply for <paramref name="layer"/>, counting the wait.</summary>
    public T Expect<T>(string layer) where T : BoundaryMessage
    {
        _waiting.Start();
        try
        {
            return HostGate.Expect<T>(Endpoint, layer, Settings.Timeout);
        }
        finally
        {
            _waiting.Stop();
        }
    }

    public void Fail(Exception e) => Interlocked.CompareExchange(ref _failure, e, null);

    /// <summary>Rethrows a parked failure, once.</summary>
    public void ThrowIfFailed()
    {
        Exception? e = Interlocked.Exchange(ref _failure, null);
        if (e is not null)
            throw e as EnclaveException ?? new EnclaveException($"A trusted convolution failed: {e.Message}", e);
    }

    public void ResetWaiting() => _waiting.Reset();

    public void Dispose()
    {
        Noise?.Dispose();
        Mechanism?.Dispose();
        Masking?.Dispose();
        Verifier.Dispose();
    }
}
