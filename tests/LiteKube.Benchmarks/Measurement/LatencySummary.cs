using System.Diagnostics;

namespace LiteKube.Benchmarks.Measurement;

/// <summary>Percentiles over a sorted set of latency samples (Stopwatch ticks).</summary>
public sealed class LatencySummary
{
    private readonly long[] _sortedTicks;

    internal LatencySummary(long[] sortedTicks) => _sortedTicks = sortedTicks;

    public int Count => _sortedTicks.Length;

    public double P50Ms => PercentileMs(50);
    public double P99Ms => PercentileMs(99);
    public double MaxMs => Count == 0 ? double.NaN : ToMs(_sortedTicks[^1]);

    /// <summary>Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.</summary>
    public double PercentileMs(double percentile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * Count);
        return ToMs(_sortedTicks[Math.Clamp(rank - 1, 0, Count - 1)]);
    }

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
