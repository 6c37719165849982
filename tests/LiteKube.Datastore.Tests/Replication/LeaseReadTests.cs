using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.Tests.Replication;

/// <summary>
/// Lease reads on a member that has not applied a grant yet: they wait for a ReadIndex round,
/// as a default range does, instead of answering from stale state.
/// </summary>
/// <remarks>Not timing-dependent: member 3 is cut off before the grant, so it cannot have applied
/// it when the read starts. Without the barrier the read completes at once, before the heal,
/// without the lease; with it, the read can only complete after the heal, with the lease.</remarks>
public sealed class LeaseReadTests
{
    [Fact]
    public async Task Lease_time_to_live_on_a_lagging_member_sees_a_grant_acknowledged_elsewhere()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var lease = await GrantWhileIsolatedAsync(cluster);

        var read = cluster.Member(3).LeaseTimeToLiveAsync(lease.Id, includeKeys: false);
        var answeredEarly = read.IsCompleted;
        cluster.Heal();

        var result = await read.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(answeredEarly, "member 3 answered before it could learn of the grant");
        Assert.NotNull(result);
        Assert.Equal(lease.Id, result.Id);
        Assert.Equal(600, result.GrantedTtl);
    }

    [Fact]
    public async Task Lease_list_on_a_lagging_member_includes_a_grant_acknowledged_elsewhere()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var lease = await GrantWhileIsolatedAsync(cluster);

        var read = cluster.Member(3).LeaseListAsync();
        var answeredEarly = read.IsCompleted;
        cluster.Heal();

        var result = await read.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(answeredEarly, "member 3 answered before it could learn of the grant");
        Assert.Contains(lease.Id, result.Ids);
    }

    [Fact]
    public async Task Lease_reads_on_a_stopped_member_fail_as_unavailable()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var member = cluster.Member(3);
        await cluster.StopAsync(3);

        var ttl = await Assert.ThrowsAsync<DatastoreException>(() => member.LeaseTimeToLiveAsync(1, includeKeys: false));
        var list = await Assert.ThrowsAsync<DatastoreException>(() => member.LeaseListAsync());
        Assert.Equal(DatastoreError.Unavailable, ttl.Error);
        Assert.Equal(DatastoreError.Unavailable, list.Error);
    }

    private static async Task<LeaseGrantResult> GrantWhileIsolatedAsync(ReplicatedCluster cluster)
    {
        cluster.Isolate(3);
        // Acknowledged once members 1 and 2 have it; member 3 cannot have it.
        return await cluster.Member(1).LeaseGrantAsync(0, 600);
    }
}
