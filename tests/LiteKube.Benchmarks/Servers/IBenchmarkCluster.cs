namespace LiteKube.Benchmarks.Servers;

/// <summary>
/// A cluster of server processes under test: the failover workload finds the leader, kills it
/// with SIGKILL and restarts it on its data dir. Resource figures of the cluster are sums over
/// the members; <see cref="Members"/> gives each member's own.
/// </summary>
public interface IBenchmarkCluster : IBenchmarkServer
{
    IReadOnlyList<IBenchmarkServer> Members { get; }

    /// <summary>The index in <see cref="Members"/> of the member that leads now, asked of the
    /// members themselves (etcd's Maintenance.Status: leader == own member id).</summary>
    Task<int> FindLeaderAsync(CancellationToken cancellationToken);

    /// <summary>SIGKILL, as a power cut would: no shutdown work at all.</summary>
    Task KillAsync(int member);

    /// <summary>Starts a killed member again on its own data dir and waits until it answers.</summary>
    Task RestartAsync(int member, CancellationToken cancellationToken);
}
