using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>The server a workload drives and the run's settings (durations).</summary>
public sealed record WorkloadContext(IBenchmarkServer Server, BenchmarkOptions Options)
{
    /// <summary>Deadline for one request: generous, so only a stuck server trips it.</summary>
    public static DateTime RequestDeadline() => DateTime.UtcNow.AddSeconds(10);
}
