using LiteKube.Benchmarks.Measurement;
using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Api;

/// <summary>What one api run measured, ready to render.</summary>
public sealed record ApiFigures(
    IReadOnlyList<ApiLatencyRow> Latencies,
    MemoryUsage FreshIdle,
    MemoryUsage LoadedIdle,
    MemoryUsage PeakDuringChurn,
    double ServerCpuPercentDuringChurn,
    TimeSpan LoadDuration,
    long WatchEvents,
    long BrokenWatches,
    long WatchOpenRetries,
    long Failures,
    string? FirstFailure);

/// <summary>One latency line: its samples and the upstream SLO it is held against, if any.</summary>
public sealed record ApiLatencyRow(string Name, LatencySummary Summary, TimeSpan? Slo, string SloName);
