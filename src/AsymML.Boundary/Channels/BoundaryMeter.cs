using System.Diagnostics;

namespace AsymML.Boundary.Channels;

/// <summary>Time spent moving messages across the boundary (encoding, copying, decoding) and bytes moved. Thread-safe.</summary>
public sealed class BoundaryMeter
{
    private long _ticks;
    private long _bytes;

    /// <summary>Total boundary time.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

    /// <summary>Total frame bytes moved.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) and the frame size.</summary>
    public void Add(long startTimestamp, long bytes)
    {
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - startTimestamp);
        Interlocked.Add(ref _bytes, bytes);
    }
}
