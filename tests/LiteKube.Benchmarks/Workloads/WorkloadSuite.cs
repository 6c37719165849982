namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Named sets of workloads, in the order they run and appear in the table. The api suite has
/// its own runner (Api/ApiBenchmark); the cluster suite runs these workloads on 3-member clusters.
/// </summary>
public static class WorkloadSuite
{
    /// <summary>The suites of <see cref="IWorkload"/>s; "api" has its own runner (Api/ApiBenchmark).</summary>
    public static IReadOnlyList<string> Names => ["datastore", "cluster"];

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
        // Three members on loopback (BenchmarkOptions.ClusterAddresses); clients spread over them,
        // except that a single client is measured once against each role (ClientPlacement says why).
        "cluster" =>
        [
            new PutWorkload(clients: 1, ClientPlacement.Leader),
            new PutWorkload(clients: 1, ClientPlacement.Follower),
            new PutWorkload(clients: 16),
            new PutWorkload(clients: 64),
            new RangeWorkload(clients: 1, ClientPlacement.Leader),
            new RangeWorkload(clients: 1, ClientPlacement.Follower),
            new RangeWorkload(clients: 64),
            new WatchLatencyWorkload(watchers: 16, putsPerSecond: 100),
            new IdleWorkload(),
            new FailoverWorkload(runs: 10),
        ],
        _ => throw new ArgumentException($"unknown suite {suite}; known: {string.Join(", ", Names)}, api"),
    };
}
