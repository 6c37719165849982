using System.Diagnostics;

namespace LiteKube.Benchmarks.Measurement;

/// <summary>
/// Every latency sample of one caller, in Stopwatch ticks. One recorder per caller, so recording
/// takes no lock; <see cref="Summarize"/> merges them. Keeping all samples (a few hundred
/// thousand longs at most) gives exact percentiles with no histogram bucketing error.
/// </summary>
/// <remarks>Not thread-safe: one writer at a time, and summarize only after the writers stop.</remarks>
public sealed class LatencyRecorder
{
    private readonly List<long> _ticks = new(capacity: 4096);

    public int Count => _ticks.Count;

    public void Record(long elapsedTicks) => _ticks.Add(elapsedTicks);

    public void RecordSince(long startTimestamp) => _ticks.Add(Stopwatch.GetTimestamp() - startTimestamp);

    public static LatencySummary Summarize(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.SelectMany(r => r._ticks).ToArray();
        Array.Sort(all);
        return new LatencySummary(all);
    }
}
