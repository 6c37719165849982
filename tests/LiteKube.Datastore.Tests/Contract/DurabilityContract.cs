using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Everything survives a clean close and reopen (crashes are in Recovery/).</summary>
public abstract class DurabilityContract<TStore> : StoreContract<TStore>
    where TStore : IDurableStoreUnderTest, new()
{
    [Fact]
    public async Task Keys_history_and_the_revision_survive_a_reopen()
    {
        await PutAsync("a", "1");  // 2
        await PutAsync("a", "2");  // 3
        await PutAsync("b", "1");  // 4
        await DeleteAsync("b");    // 5

        await ReopenAsync();

        AssertKv(await GetAsync("a"), "a", "2", create: 2, mod: 3, version: 2);
        AssertKv(await GetAsync("a", revision: 2), "a", "1", create: 2, mod: 2, version: 1);
        AssertKv(await GetAsync("b", revision: 4), "b", "1", create: 4, mod: 4, version: 1);
        Assert.Null(await GetAsync("b"));
        Assert.Equal(5, await CurrentRevisionAsync());
        Assert.Equal(6, (await PutAsync("c", "1")).Revision);
    }

    [Fact]
    public async Task A_revision_whose_only_write_was_a_delete_survives_a_reopen()
    {
        await PutAsync("a", "1"); // 2
        await DeleteAsync("a");   // 3
        await Store.CompactAsync(3);

        await ReopenAsync();

        Assert.Equal(3, await CurrentRevisionAsync());
        Assert.Null(await GetAsync("a"));
        Assert.Equal(4, (await PutAsync("a", "2")).Revision);
        AssertKv(await GetAsync("a"), "a", "2", create: 4, mod: 4, version: 1);
    }

    [Fact]
    public async Task The_compacted_revision_survives_a_reopen()
    {
        await PutAsync("a", "1"); // 2
        await PutAsync("a", "2"); // 3
        await PutAsync("b", "1"); // 4
        await Store.CompactAsync(3);

        await ReopenAsync();

        await AssertFailsAsync(DatastoreError.Compacted, () => GetAsync("a", revision: 2));
        await AssertFailsAsync(DatastoreError.Compacted, () => Store.CompactAsync(3));
        Assert.Equal("2", await GetValueAsync("a", revision: 3));
        await using var watch = Watch(new WatchRequest(B("a")) { StartRevision = 2 });
        var batch = await watch.NextBatchAsync("the cancellation");
        Assert.True(batch.Canceled);
        Assert.Equal(3, batch.CompactRevision);
    }

    [Fact]
    public async Task A_watch_after_a_reopen_replays_history_from_before_it()
    {
        await PutAsync("p/a", "1"); // 2
        await DeleteAsync("p/a");   // 3

        await ReopenAsync();
        await using var watch = WatchPrefix("p/", startRevision: 2);
        await PutAsync("p/b", "1"); // 4

        var events = await watch.NextEventsAsync(3);
        Assert.Equal([2L, 3L, 4L], events.Select(e => e.Kv.ModRevision));
        Assert.Equal([WatchEventType.Put, WatchEventType.Delete, WatchEventType.Put], events.Select(e => e.Type));
    }

    [FakeClockFact]
    public async Task Leases_survive_a_reopen_with_their_ttl_restarted_and_their_keys_attached()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "1", lease.Id);
        await PutAsync("b", "1");
        Clock.Advance(TimeSpan.FromSeconds(50));

        await ReopenAsync();

        var ttl = await Store.LeaseTimeToLiveAsync(lease.Id, includeKeys: true);
        Assert.NotNull(ttl);
        Assert.Equal((60L, 60L), (ttl.Ttl, ttl.GrantedTtl));
        Assert.Equal(["a"], ttl.Keys.Select(S));
        Assert.Contains(lease.Id, (await Store.LeaseListAsync()).Ids);
        AssertKv(await GetAsync("a"), "a", "1", create: 2, mod: 2, version: 1, lease: lease.Id);
        await Store.LeaseRevokeAsync(lease.Id);
        Assert.Equal(["b"], await ListKeysAsync(""));
    }

    [FakeClockFact]
    public async Task A_lease_reopened_keeps_expiring_on_the_clock()
    {
        var lease = await Store.LeaseGrantAsync(0, 10);
        await PutAsync("a", "1", lease.Id);

        await ReopenAsync();
        await using var watch = Watch(new WatchRequest(B("a")));
        Clock.Advance(TimeSpan.FromSeconds(11));

        var e = Assert.Single(await watch.NextEventsAsync(1));
        Assert.Equal(WatchEventType.Delete, e.Type);
        Assert.Null(await Store.LeaseTimeToLiveAsync(lease.Id, false));
    }

    [Fact]
    public async Task Revoked_leases_and_detached_keys_stay_that_way_after_a_reopen()
    {
        var revoked = await Store.LeaseGrantAsync(0, 60);
        var kept = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "1", revoked.Id);
        await PutAsync("b", "1", kept.Id);
        await PutAsync("b", "2");
        await Store.LeaseRevokeAsync(revoked.Id);

        await ReopenAsync();

        Assert.Null(await Store.LeaseTimeToLiveAsync(revoked.Id, false));
        Assert.Equal([kept.Id], (await Store.LeaseListAsync()).Ids);
        Assert.Empty((await Store.LeaseTimeToLiveAsync(kept.Id, true))!.Keys);
        await Store.LeaseRevokeAsync(kept.Id);
        Assert.Equal("2", await GetValueAsync("b"));
    }

    [Fact]
    public async Task Lease_ids_picked_after_a_reopen_do_not_collide_with_existing_ones()
    {
        var before = new HashSet<long>();
        for (var i = 0; i < 10; i++)
        {
            before.Add((await Store.LeaseGrantAsync(0, 60)).Id);
        }

        await ReopenAsync();

        for (var i = 0; i < 10; i++)
        {
            var id = (await Store.LeaseGrantAsync(0, 60)).Id;
            Assert.True(before.Add(id), $"lease id {id} was picked twice");
        }
    }

    [Fact]
    public async Task A_store_reopened_twice_still_has_everything()
    {
        await PutAsync("a", "1");
        await ReopenAsync();
        await PutAsync("a", "2");
        await ReopenAsync();

        AssertKv(await GetAsync("a"), "a", "2", create: 2, mod: 3, version: 2);
        AssertKv(await GetAsync("a", revision: 2), "a", "1", create: 2, mod: 2, version: 1);
    }
}
