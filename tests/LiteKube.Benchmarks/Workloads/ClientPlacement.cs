using LiteKube.Benchmarks.Servers;

namespace LiteKube.Benchmarks.Workloads;

/// <summary>
/// Which member a cluster workload's clients talk to first. With one client the role decides the
/// path a request takes (a follower forwards a write to the leader and waits to apply it, two
/// network hops more), so a 1-client figure only compares like with like when both clusters'
/// client talks to a member of the same role; round-robin from the first address did not (which
/// member led was chance, and differed between the two clusters and between runs).
/// </summary>
public enum ClientPlacement
{
    /// <summary>Round-robin over the members from the first address, as etcd's benchmark tool does.</summary>
    Spread,
    /// <summary>Round-robin starting at the member that leads when the workload starts.</summary>
    Leader,
    /// <summary>Round-robin starting at a member that follows when the workload starts.</summary>
    Follower,
}

public static class ClientPlacements
{
    /// <summary>", to the leader" or ", to a follower" after the workload's name; nothing for <see cref="ClientPlacement.Spread"/>.</summary>
    public static string Suffix(this ClientPlacement placement) => placement switch
    {
        ClientPlacement.Leader => ", to the leader",
        ClientPlacement.Follower => ", to a follower",
        _ => "",
    };

    /// <summary>The server's endpoints in the order clients take them round-robin. A single
    /// server has one order; a cluster is asked who leads now (waiting out an election).</summary>
    public static async Task<IReadOnlyList<string>> EndpointsAsync(this ClientPlacement placement, IBenchmarkServer server, CancellationToken cancellationToken)
    {
        if (placement == ClientPlacement.Spread || server is not IBenchmarkCluster cluster)
        {
            return server.Endpoints;
        }

        var endpoints = server.Endpoints;
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var first = placement == ClientPlacement.Leader ? leader : (leader + 1) % endpoints.Count;
        return [.. endpoints.Skip(first), .. endpoints.Take(first)];
    }
}
