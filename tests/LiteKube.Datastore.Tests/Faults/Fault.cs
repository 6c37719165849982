namespace LiteKube.Datastore.Tests.Faults;

/// <summary>One fault and its repair: injects, holds, repairs, and returns once the cluster serves
/// again. Only <see cref="IFaultCluster"/> is used, so every fault runs against any cluster.</summary>
public sealed record Fault(string Name, Func<IFaultCluster, CancellationToken, Task> RunAsync)
{
    /// <summary>How long a fault lasts: longer than an election timeout (1 s), so the cluster
    /// really loses the member.</summary>
    public static TimeSpan Hold { get; set; } = TimeSpan.FromSeconds(2);

    public static Fault KillLeader { get; } = new("kill -9 of the leader, then restart", async (cluster, ct) =>
    {
        var leader = await cluster.LeaderAsync(ct);
        cluster.Kill(leader);
        await Task.Delay(Hold, ct);
        await cluster.RestartAsync(leader, ct);
    });

    public static Fault KillFollower { get; } = new("kill -9 of a follower, then restart", async (cluster, ct) =>
    {
        var follower = await FollowerAsync(cluster, ct);
        cluster.Kill(follower);
        await Task.Delay(Hold, ct);
        await cluster.RestartAsync(follower, ct);
    });

    public static Fault PauseLeader { get; } = new("SIGSTOP of the leader, then SIGCONT", async (cluster, ct) =>
        await PauseAsync(cluster, await cluster.LeaderAsync(ct), ct));

    public static Fault PauseFollower { get; } = new("SIGSTOP of a follower, then SIGCONT", async (cluster, ct) =>
        await PauseAsync(cluster, await FollowerAsync(cluster, ct), ct));

    public static Fault IsolateLeader { get; } = new("partition of the leader from the others, then heal", async (cluster, ct) =>
        await IsolateAsync(cluster, await cluster.LeaderAsync(ct), ct));

    public static Fault IsolateFollower { get; } = new("partition of a follower from the others, then heal", async (cluster, ct) =>
        await IsolateAsync(cluster, await FollowerAsync(cluster, ct), ct));

    public static Fault PowerLoss { get; } = new("kill -9 of every member at once, then restart all", (cluster, ct) =>
        cluster.PowerCycleAsync(TimeSpan.FromMilliseconds(500), ct));

    private static async Task<int> FollowerAsync(IFaultCluster cluster, CancellationToken ct) =>
        (await cluster.LeaderAsync(ct) + 1) % cluster.Count;

    private static async Task PauseAsync(IFaultCluster cluster, int member, CancellationToken ct)
    {
        cluster.Pause(member);
        try
        {
            await Task.Delay(Hold, ct);
        }
        finally
        {
            cluster.Resume(member);
        }
        await cluster.WaitHealthyAsync(ct);
    }

    private static async Task IsolateAsync(IFaultCluster cluster, int member, CancellationToken ct)
    {
        cluster.Isolate(member);
        try
        {
            await Task.Delay(Hold + Hold, ct);
        }
        finally
        {
            cluster.Heal();
        }
        await cluster.WaitHealthyAsync(ct);
    }

    public override string ToString() => Name;
}
