using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>What a watch delivers: which keys, from which revision, with which fields.</summary>
public abstract class WatchContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    private static void AssertPut(WatchEvent e, string key, string value, long mod)
    {
        Assert.Equal(WatchEventType.Put, e.Type);
        Assert.Equal(key, S(e.Kv.Key));
        Assert.Equal(value, S(e.Kv.Value));
        Assert.Equal(mod, e.Kv.ModRevision);
    }

    private static void AssertDelete(WatchEvent e, string key, long mod)
    {
        Assert.Equal(WatchEventType.Delete, e.Type);
        Assert.Equal(key, S(e.Kv.Key));
        Assert.Equal(mod, e.Kv.ModRevision);
        Assert.Empty(e.Kv.Value);
    }

    [Fact]
    public async Task A_watch_of_a_key_sees_its_later_puts_and_deletes_only()
    {
        await using var watch = Watch(new WatchRequest(B("a")));
        await PutAsync("a", "1");  // 2
        await PutAsync("ab", "1"); // 3
        await PutAsync("b", "1");  // 4
        await PutAsync("a", "2");  // 5
        await DeleteAsync("a");    // 6

        var events = await watch.NextEventsAsync(3);

        AssertPut(events[0], "a", "1", mod: 2);
        AssertPut(events[1], "a", "2", mod: 5);
        AssertDelete(events[2], "a", mod: 6);
        watch.AssertNothingPending();
    }

    [Fact]
    public async Task A_put_event_carries_the_full_kv()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("a", "1");
        await using var watch = Watch(new WatchRequest(B("a")));

        await PutAsync("a", "2", lease.Id);

        AssertKv(Assert.Single(await watch.NextEventsAsync(1)).Kv, "a", "2", create: 2, mod: 3, version: 2, lease: lease.Id);
    }

    [Fact]
    public async Task A_delete_event_holds_the_key_and_the_delete_revision_with_zero_version()
    {
        await PutAsync("a", "1");
        await using var watch = Watch(new WatchRequest(B("a")));

        await DeleteAsync("a");

        var e = Assert.Single(await watch.NextEventsAsync(1));
        AssertDelete(e, "a", mod: 3);
        Assert.Equal((0L, 0L, 0L), (e.Kv.CreateRevision, e.Kv.Version, e.Kv.Lease)); // as etcd's tombstone
        Assert.Null(e.PrevKv);
    }

    [Fact]
    public async Task A_watch_of_a_prefix_sees_only_keys_under_it()
    {
        await using var watch = WatchPrefix("p/");
        await PutAsync("p", "x");    // 2
        await PutAsync("p/a", "1");  // 3
        await PutAsync("p0", "x");   // 4
        await PutAsync("p/b/c", "1"); // 5
        await PutAsync("o", "x");    // 6
        await DeleteAsync("p/a");    // 7

        var events = await watch.NextEventsAsync(3);

        AssertPut(events[0], "p/a", "1", mod: 3);
        AssertPut(events[1], "p/b/c", "1", mod: 5);
        AssertDelete(events[2], "p/a", mod: 7);
    }

    [Fact]
    public async Task A_watch_of_an_interval_sees_keys_from_key_up_to_range_end()
    {
        await using var watch = Watch(new WatchRequest(B("b"), B("d")));
        foreach (var key in new[] { "a", "b", "c", "cz", "d", "e" })
        {
            await PutAsync(key, "1");
        }

        var events = await watch.NextEventsAsync(3);

        Assert.Equal(["b", "c", "cz"], events.Select(e => S(e.Kv.Key)));
    }

    [Fact]
    public async Task A_watch_from_revision_0_starts_after_the_current_revision()
    {
        await PutAsync("a", "old");
        await using var watch = Watch(new WatchRequest(B("a")));

        await PutAsync("a", "new");

        AssertPut(Assert.Single(await watch.NextEventsAsync(1)), "a", "new", mod: 3);
    }

    [Fact]
    public async Task A_watch_from_a_past_revision_replays_history_in_order_then_goes_live()
    {
        await PutAsync("p/a", "1"); // 2
        await PutAsync("p/b", "1"); // 3
        await PutAsync("p/a", "2"); // 4
        await DeleteAsync("p/b");   // 5
        await PutAsync("q", "x");   // 6

        await using var watch = WatchPrefix("p/", startRevision: 3);
        var replayed = await watch.NextEventsAsync(3);
        await PutAsync("p/c", "1"); // 7
        var live = await watch.NextEventsAsync(1);

        AssertPut(replayed[0], "p/b", "1", mod: 3);
        AssertPut(replayed[1], "p/a", "2", mod: 4);
        AssertDelete(replayed[2], "p/b", mod: 5);
        AssertPut(live[0], "p/c", "1", mod: 7);
    }

    [Fact]
    public async Task A_watch_from_a_future_revision_waits_for_it()
    {
        await PutAsync("a", "1"); // 2
        await using var watch = Watch(new WatchRequest(B("a")) { StartRevision = 4 });

        await PutAsync("a", "2"); // 3
        await PutAsync("a", "3"); // 4

        AssertPut(Assert.Single(await watch.NextEventsAsync(1)), "a", "3", mod: 4);
    }

    [Fact]
    public async Task The_writes_of_one_txn_arrive_together_in_one_batch_with_one_revision()
    {
        await PutAsync("p/old", "x");
        await using var watch = WatchPrefix("p/");

        await Store.TxnAsync(new TxnRequest([],
            [
                new TxnPutOp(new PutRequest(B("p/b"), B("1"))),
                new TxnPutOp(new PutRequest(B("p/a"), B("1"))),
                new TxnDeleteOp(new DeleteRangeRequest(B("p/old"))),
            ], []));

        var batch = await watch.NextBatchAsync();
        Assert.Equal(3, batch.Events.Count);
        Assert.All(batch.Events, e => Assert.Equal(3, e.Kv.ModRevision));
        Assert.Equal(["p/a", "p/b", "p/old"], batch.Events.Select(e => S(e.Kv.Key)).Order());
        Assert.True(batch.Revision >= 3);
    }

    [Fact]
    public async Task A_watch_with_PrevKv_carries_the_previous_version_of_each_key()
    {
        await PutAsync("a", "1"); // 2
        await using var watch = Watch(new WatchRequest(B("a"), B("c")) { PrevKv = true });

        await PutAsync("a", "2"); // 3
        await DeleteAsync("a");   // 4
        await PutAsync("b", "1"); // 5

        var events = await watch.NextEventsAsync(3);
        AssertKv(events[0].PrevKv, "a", "1", create: 2, mod: 2, version: 1);
        AssertKv(events[1].PrevKv, "a", "2", create: 2, mod: 3, version: 2);
        Assert.Null(events[2].PrevKv);
    }

    [Fact]
    public async Task A_replaying_watch_with_PrevKv_carries_the_previous_versions_too()
    {
        await PutAsync("a", "1"); // 2
        await PutAsync("a", "2"); // 3
        await DeleteAsync("a");   // 4

        await using var watch = Watch(new WatchRequest(B("a")) { PrevKv = true, StartRevision = 2 });
        var events = await watch.NextEventsAsync(3);

        Assert.Null(events[0].PrevKv);
        AssertKv(events[1].PrevKv, "a", "1", create: 2, mod: 2, version: 1);
        AssertKv(events[2].PrevKv, "a", "2", create: 2, mod: 3, version: 2);
    }

    [Fact]
    public async Task A_watch_without_PrevKv_carries_no_previous_kv()
    {
        await PutAsync("a", "1");
        await using var watch = Watch(new WatchRequest(B("a")));

        await PutAsync("a", "2");
        await DeleteAsync("a");

        Assert.All(await watch.NextEventsAsync(2), e => Assert.Null(e.PrevKv));
    }

    [Fact]
    public async Task NoPut_delivers_only_deletes_and_NoDelete_only_puts()
    {
        await using var deletesOnly = Watch(new WatchRequest(B("a")) { NoPut = true });
        await using var putsOnly = Watch(new WatchRequest(B("a")) { NoDelete = true });

        await PutAsync("a", "1"); // 2
        await DeleteAsync("a");   // 3
        await PutAsync("a", "2"); // 4
        await DeleteAsync("a");   // 5

        var deletes = await deletesOnly.NextEventsAsync(2);
        var puts = await putsOnly.NextEventsAsync(2);
        AssertDelete(deletes[0], "a", mod: 3);
        AssertDelete(deletes[1], "a", mod: 5);
        AssertPut(puts[0], "a", "1", mod: 2);
        AssertPut(puts[1], "a", "2", mod: 4);
    }

    [Fact]
    public async Task Disposing_a_watch_ends_its_channel()
    {
        var watch = Watch(new WatchRequest(B("a")));
        await PutAsync("a", "1");
        await watch.NextEventsAsync(1);

        await watch.DisposeAsync();

        await watch.AssertEndsAsync();
        await PutAsync("a", "2");
        Assert.False(watch.Watch.Batches.TryRead(out _));
    }

    [Fact]
    public async Task Several_watches_of_the_same_key_each_get_every_event()
    {
        var watches = Enumerable.Range(0, 5).Select(_ => Watch(new WatchRequest(B("a")))).ToList();
        try
        {
            await PutAsync("a", "1");
            await DeleteAsync("a");

            foreach (var watch in watches)
            {
                Assert.Equal([2L, 3L], (await watch.NextEventsAsync(2)).Select(e => e.Kv.ModRevision));
            }
        }
        finally
        {
            foreach (var watch in watches)
            {
                await watch.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Revoking_a_lease_is_seen_as_deletes_of_its_keys_in_one_batch()
    {
        var lease = await Store.LeaseGrantAsync(0, 60);
        await PutAsync("p/a", "1", lease.Id); // 2
        await PutAsync("p/b", "1", lease.Id); // 3
        await PutAsync("p/c", "1");           // 4
        await using var watch = WatchPrefix("p/");

        var revision = await Store.LeaseRevokeAsync(lease.Id);

        var batch = await watch.NextBatchAsync();
        Assert.Equal(5, revision);
        Assert.Equal(2, batch.Events.Count);
        Assert.All(batch.Events, e => AssertDelete(e, S(e.Kv.Key), mod: 5));
        Assert.Equal(["p/a", "p/b"], batch.Events.Select(e => S(e.Kv.Key)).Order());
    }
}
