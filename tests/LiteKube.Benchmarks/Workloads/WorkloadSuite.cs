namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Named sets of workloads, in the order they run and appear in the table. Later issues add
/// suites here (Kubernetes API server, 3-member cluster) with their own workload files.
/// </summary>
public static class WorkloadSuite
{
    /// <summary>The suites of <see cref="IWorkload"/>s; "api" has its own runner (Api/ApiBenchmark).</summary>
    public static IReadOnlyList<string> Names => ["datastore"];

    public static IReadOnlyList<IWorkload> Get(string suite) => suite switch
    {
        "datastore" =>
        [
            new PutWorkload(clients: 1),
            new PutWorkload(clients: 16),
            new PutWorkload(clients: 64),
            new RangeWorkload(clients: 1),
            new RangeWorkload(clients: 64),
            new WatchLatencyWorkload(watchers: 16, putsPerSecond: 100),
            new MemoryWorkload(keys: 100_000),
        ],
        _ => throw new ArgumentException($"unknown suite {suite}; known: {string.Join(", ", Names)}, api"),
    };
}
