using LiteKube.Benchmarks.Measurement;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// One benchmark workload. The runner starts a fresh server per workload and calls
/// <see cref="RunAsync"/> once per server, so every target sees identical conditions.
/// A workload leaves no background work behind when it returns or throws.
/// </summary>
public interface IWorkload
{
    /// <summary>The row label, e.g. "put, 16 clients"; also what --only matches.</summary>
    string Name { get; }

    /// <summary>
    /// True when the server should first be brought to steady state (<see cref="ServerWarmup"/>);
    /// false for workloads that measure a fresh server, such as idle memory.
    /// </summary>
    bool NeedsWarmServer { get; }

    /// <summary>
    /// True when the runner should first wait for the server to finish starting up
    /// (<see cref="StartupSettle"/>); false for workloads that measure a fresh server.
    /// </summary>
    bool NeedsSettledServer => true;

    Task<WorkloadOutcome> RunAsync(WorkloadContext context, CancellationToken cancellationToken);
}
