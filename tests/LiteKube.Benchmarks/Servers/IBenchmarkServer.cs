namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// A running server under test, as a workload sees it: where to dial and how much memory and
/// CPU it uses. Disposing stops it (SIGTERM, then SIGKILL after a grace period).
/// </summary>
/// <remarks>
/// Resource figures cover the whole process tree, so a server that forks helpers is not
/// flattered by measuring only its first process. A cluster (<see cref="IBenchmarkCluster"/>)
/// implements this over all its members: figures are sums, <see cref="Endpoints"/> lists every
/// member.
/// </remarks>
public interface IBenchmarkServer : IAsyncDisposable
{
    /// <summary>"litekube" or "etcd": the column the figures go in.</summary>
    string Name { get; }

    /// <summary>The etcd v3 gRPC endpoint, e.g. http://127.0.0.2:2379 (plain HTTP/2).</summary>
    string Endpoint { get; }

    /// <summary>Every endpoint clients may use; workloads spread their clients over them.</summary>
    IReadOnlyList<string> Endpoints => [Endpoint];

    string DataDirectory { get; }

    /// <summary>Stopwatch timestamp at which the server answered its first request.</summary>
    long ReadyTimestamp { get; }

    /// <summary>Resident memory now (VmRSS of the process tree, with its anonymous/file split).</summary>
    MemoryUsage ReadMemory();

    /// <summary>User and system CPU time consumed so far by the process tree.</summary>
    CpuTimes ReadCpuTimes();

    /// <summary>The last lines the server logged, to explain a failure.</summary>
    string LogTail();
}
