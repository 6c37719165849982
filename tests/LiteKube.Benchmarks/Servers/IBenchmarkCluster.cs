using System.Diagnostics;

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
    /// members themselves (etcd's Maintenance.Status: leader == own member id); -1 when none does.</summary>
    Task<int> FindLeaderAsync(CancellationToken cancellationToken);

    /// <summary>SIGKILL, as a power cut would: no shutdown work at all.</summary>
    Task KillAsync(int member);

    /// <summary>Starts a killed member again on its own data dir and waits until it answers.</summary>
    Task RestartAsync(int member, CancellationToken cancellationToken);
}

public static class BenchmarkClusters
{
    /// <summary>The leader's index, asking every 50 ms until one leads (between elections none
    /// does); throws after <paramref name="giveUp"/>.</summary>
    public static async Task<int> WaitForLeaderAsync(this IBenchmarkCluster cluster, TimeSpan giveUp, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(giveUp.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var leader = await cluster.FindLeaderAsync(cancellationToken);
            if (leader >= 0)
            {
                return leader;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new InvalidOperationException($"{cluster.Name}: no leader within {giveUp.TotalSeconds} s");
    }
}
