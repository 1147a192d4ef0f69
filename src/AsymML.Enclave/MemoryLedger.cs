using System.Globalization;

namespace AsymML.Enclave;

/// <summary>
/// Counts the bytes of private tensors the enclave runtime holds, because a real TEE's protected memory is small
/// (SGX1: ~93 MB usable EPC) and paging it is what makes enclaves slow. Two kinds of entries:
/// <list type="bullet">
/// <item><b>resident</b> — held across steps under a name (model weights and BatchNorm buffers, a provisioned data
/// set, the current batch); set again under the same name to replace;</item>
/// <item><b>step</b> — charged while a step runs and released when it ends: activations autograd keeps for backward
/// (every layer's output in training; only the live ones in evaluation), the low-rank factors U, V of each split
/// convolution, parameter gradients.</item>
/// </list>
/// It is an account of what the runtime keeps by design, from tensor shapes, not an allocator hook: LibTorch's CPU
/// allocator exposes no statistics through TorchSharp, and the enclave process's RSS also counts code, the
/// allocator's caches and the boundary buffers. When a charge would pass the budget, the charge throws an
/// <see cref="EnclaveException"/> naming the layer or entry, so a step that cannot fit stops before it goes on.
/// </summary>
public sealed class MemoryLedger
{
    private readonly Dictionary<string, long> _resident = new(StringComparer.Ordinal);
    private long _residentTotal;

    /// <summary>Creates a ledger with an optional budget.</summary>
    /// <param name="budgetBytes">Most bytes of private tensors allowed at any time; null for no limit.</param>
    public MemoryLedger(long? budgetBytes = null)
    {
        if (budgetBytes is <= 0)
            throw new ArgumentOutOfRangeException(nameof(budgetBytes), budgetBytes, "The private-memory budget must be positive.");
        BudgetBytes = budgetBytes;
    }

    /// <summary>The budget in bytes; null when unlimited.</summary>
    public long? BudgetBytes { get; }

    /// <summary>Bytes held now (resident + this step's charges).</summary>
    public long CurrentBytes => _residentTotal + StepBytes;

    /// <summary>Bytes charged by the running step.</summary>
    public long StepBytes { get; private set; }

    /// <summary>Highest <see cref="CurrentBytes"/> since the ledger was made.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>Highest <see cref="CurrentBytes"/> since the last <see cref="BeginStep"/>.</summary>
    public long StepPeakBytes { get; private set; }

    /// <summary>Resident entries by name, in bytes.</summary>
    public IReadOnlyDictionary<string, long> Resident => _resident;

    /// <summary>Sets the resident entry <paramref name="name"/> to <paramref name="bytes"/> (0 removes it).</summary>
    /// <exception cref="EnclaveException">The new total passes the budget; the entry is left as it was.</exception>
    public void SetResident(string name, long bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long old = _resident.GetValueOrDefault(name);
        Check(CurrentBytes - old + bytes, name);
        _residentTotal += bytes - old;
        if (bytes == 0) _resident.Remove(name);
        else _resident[name] = bytes;
        Observe();
    }

    /// <summary>Starts a step: releases the previous step's charges and restarts <see cref="StepPeakBytes"/>.</summary>
    public void BeginStep()
    {
        StepBytes = 0;
        StepPeakBytes = CurrentBytes;
    }

    /// <summary>Charges <paramref name="bytes"/> to the running step for <paramref name="what"/> (a layer path).</summary>
    /// <exception cref="EnclaveException">The charge would pass the budget; nothing is charged.</exception>
    public void Charge(string what, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Check(CurrentBytes + bytes, what);
        StepBytes += bytes;
        Observe();
    }

    /// <summary>Gives back <paramref name="bytes"/> of the running step's charges (a tensor freed before the step ends).</summary>
    public void Release(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        StepBytes = Math.Max(0, StepBytes - bytes);
    }

    private void Check(long total, string what)
    {
        if (BudgetBytes is long budget && total > budget)
            throw new EnclaveException(
                $"Private-memory budget of {Megabytes(budget)} exceeded at '{what}': it needs {Megabytes(total)} " +
                $"(resident {Megabytes(_residentTotal)}, this step so far {Megabytes(StepBytes)}). Use a smaller batch, lower ranks or a larger budget.");
    }

    private void Observe()
    {
        PeakBytes = Math.Max(PeakBytes, CurrentBytes);
        StepPeakBytes = Math.Max(StepPeakBytes, CurrentBytes);
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " MB";
}
