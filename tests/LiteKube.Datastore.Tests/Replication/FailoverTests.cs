using System.Collections.Concurrent;
using System.Text;
using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.Tests.Replication;

/// <summary>Leader loss and lagging members in an in-process three-member cluster.</summary>
public sealed class FailoverTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Stopping_the_leader_mid_load_loses_no_acknowledged_write_and_watches_see_every_revision()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var watcher = cluster.Member(3);
        await using var watch = watcher.Watch(new WatchRequest(B("k/"), B("k0")) { StartRevision = 1 });
        var acknowledged = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var failures = 0;

        async Task WriteLoop(int writer)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = $"k/{writer}/{n}";
                try
                {
                    var result = await cluster.Member(2).PutAsync(new PutRequest(B(key), B("v")));
                    acknowledged[key] = result.Revision;
                }
                catch (DatastoreException e) when (e.Error == DatastoreError.Unavailable)
                {
                    Interlocked.Increment(ref failures); // in doubt during the failover: never counted as acknowledged
                }
            }
        }

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() => WriteLoop(w))).ToList();
        await Eventually.TrueAsync(() => acknowledged.Count >= 50, "50 writes were acknowledged");
        Assert.Equal(1UL, cluster.Member(2).RaftStatus.Leader);
        await cluster.StopAsync(1);
        var before = acknowledged.Count;
        var leader = await cluster.WaitForLeaderAsync();
        Assert.NotEqual(1UL, leader.Id);
        await Eventually.TrueAsync(() => acknowledged.Count >= before + 50, "writes continue under the new leader");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        foreach (var id in new ulong[] { 2, 3 })
        {
            var all = await cluster.Member(id).RangeAsync(new RangeRequest(B("k/"), B("k0")));
            var present = all.Kvs.ToDictionary(kv => Encoding.UTF8.GetString(kv.Key), kv => kv.ModRevision);
            foreach (var (key, revision) in acknowledged)
            {
                Assert.True(present.TryGetValue(key, out var found) && found == revision, $"acknowledged {key}@{revision} missing on member {id}");
            }
        }

        // Every revision from 2 to the last is exactly one put here: the watch must show each once, in order.
        var last = (await cluster.Member(3).RangeAsync(new RangeRequest(B("k/"), B("k0")) { CountOnly = true })).Revision;
        var seen = new List<long>();
        while (seen.Count == 0 || seen[^1] < last)
        {
            var batch = await watch.Batches.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.False(batch.Canceled, batch.CancelReason);
            seen.AddRange(batch.Events.Select(e => e.Kv.ModRevision));
        }

        Assert.Equal(Enumerable.Range(2, (int)last - 1).Select(r => (long)r), seen);
    }

    [Fact]
    public async Task A_write_on_a_member_that_knows_no_leader_waits_for_one_and_applies_once()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        var leader = await cluster.WaitForLeaderAsync();
        var cutOff = cluster.Member(cluster.Ids.First(id => id != leader.Id));
        cluster.Isolate(cutOff.Id);
        await Eventually.TrueAsync(() => cutOff.RaftStatus.Leader == 0, "the cut-off member stops believing in a leader");

        // Raft drops the proposal (no leader to forward it to); the store tries again each tick.
        var put = cutOff.PutAsync(new PutRequest(B("orphan"), B("v")));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(put.IsCompleted, "a write with no leader must wait, not answer");

        cluster.Heal();
        var result = await put.WaitAsync(TimeSpan.FromSeconds(10));
        var read = await leader.RangeAsync(new RangeRequest(B("orphan")));
        var kv = Assert.Single(read.Kvs);
        Assert.Equal(result.Revision, kv.ModRevision);
        Assert.Equal(1, kv.Version); // applied once, however many attempts were dropped
    }

    [Fact]
    public async Task A_write_on_a_member_that_never_finds_a_leader_fails_with_no_leader_and_is_never_applied()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3, requestTimeout: TimeSpan.FromSeconds(1));
        var leader = await cluster.WaitForLeaderAsync();
        var cutOff = cluster.Member(cluster.Ids.First(id => id != leader.Id));
        cluster.Isolate(cutOff.Id);
        await Eventually.TrueAsync(() => cutOff.RaftStatus.Leader == 0, "the cut-off member stops believing in a leader");

        var error = await Assert.ThrowsAsync<DatastoreException>(() => cutOff.PutAsync(new PutRequest(B("never"), B("v"))));
        Assert.Equal(DatastoreError.Unavailable, error.Error);
        Assert.Equal("etcdserver: no leader", error.Message);

        // Every attempt was dropped before any log took it: healing brings nothing back.
        cluster.Heal();
        await leader.PutAsync(new PutRequest(B("after"), B("v")));
        await Eventually.TrueAsync(() => cutOff.CurrentRevision == leader.CurrentRevision, "the cut-off member caught up");
        Assert.Empty((await cutOff.RangeAsync(new RangeRequest(B("never")))).Kvs);
    }

    [Fact]
    public async Task A_restarted_member_catches_up_and_holds_the_same_data()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3);
        await cluster.StopAsync(3);
        for (var i = 0; i < 30; i++)
        {
            await cluster.Member(1).PutAsync(new PutRequest(B($"r/{i}"), B("v")));
        }

        var restarted = cluster.Start(3);
        await Eventually.TrueAsync(() => restarted.CurrentRevision == cluster.Member(1).CurrentRevision, "member 3 applied everything");
        var expected = await cluster.Member(1).HashKvAsync(0);
        Assert.Equal(expected.Hash, (await restarted.HashKvAsync(0)).Hash);
        Assert.Equal(0, restarted.SnapshotsInstalled);
    }

    [Fact]
    public async Task A_member_behind_the_compacted_log_catches_up_by_snapshot()
    {
        await using var cluster = await ReplicatedCluster.StartAsync(3, tune: o => o with { SnapshotEntries = 20, KeptEntries = 5 });
        cluster.Isolate(3);
        var lease = await cluster.Member(1).LeaseGrantAsync(0, 600);
        for (var i = 0; i < 100; i++)
        {
            await cluster.Member(1).PutAsync(new PutRequest(B($"s/{i:d3}"), B($"v{i}")) { Lease = i == 0 ? lease.Id : 0 });
        }

        await using var watch = cluster.Member(3).Watch(new WatchRequest(B("s/"), B("s0")) { StartRevision = 1 });
        cluster.Heal();
        var member3 = cluster.Member(3);
        await Eventually.TrueAsync(() => member3.CurrentRevision == cluster.Member(1).CurrentRevision, "member 3 caught up");

        Assert.True(member3.SnapshotsInstalled >= 1, "member 3 was sent a snapshot");
        Assert.Equal((await cluster.Member(1).HashKvAsync(0)).Hash, (await member3.HashKvAsync(0)).Hash);
        Assert.Contains(lease.Id, (await member3.LeaseListAsync()).Ids);
        var seen = new List<long>();
        while (seen.Count < 100)
        {
            var batch = await watch.Batches.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            seen.AddRange(batch.Events.Select(e => e.Kv.ModRevision));
        }

        Assert.Equal(Enumerable.Range(2, 100).Select(r => (long)r), seen);
        // And it keeps replicating after the snapshot.
        var next = await cluster.Member(1).PutAsync(new PutRequest(B("s/after"), B("x")));
        await Eventually.TrueAsync(() => member3.CurrentRevision == next.Revision, "member 3 applied the next write");
    }
}
