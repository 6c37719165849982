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

    Task<WorkloadOutcome> RunAsync(WorkloadContext context, CancellationToken cancellationToken);
}
