using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Compaction: which revisions stay readable and watchable, and its errors.</summary>
public abstract class CompactionContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    /// <summary>
    /// rev 2: put a=a1; 3: put b=b1; 4: put c=c1; 5: put b=b2; 6: delete c; 7: put d=d1;
    /// 8: put b=b3.
    /// </summary>
    private async Task WriteHistoryAsync()
    {
        await PutAsync("a", "a1");
        await PutAsync("b", "b1");
        await PutAsync("c", "c1");
        await PutAsync("b", "b2");
        await DeleteAsync("c");
        await PutAsync("d", "d1");
        await PutAsync("b", "b3");
    }

    [Fact]
    public async Task Compaction_at_the_current_revision_keeps_the_latest_of_every_key()
    {
        await WriteHistoryAsync();

        var result = await Store.CompactAsync(8);

        Assert.Equal(8, result.Revision);
        var kvs = await ListAsync("");
        Assert.Equal(3, kvs.Count);
        AssertKv(kvs[0], "a", "a1", create: 2, mod: 2, version: 1);
        AssertKv(kvs[1], "b", "b3", create: 3, mod: 8, version: 3);
        AssertKv(kvs[2], "d", "d1", create: 7, mod: 7, version: 1);
        Assert.Equal(9, (await PutAsync("e", "1")).Revision);
    }

    [Fact]
    public async Task After_compaction_revisions_below_it_fail_and_the_compact_revision_itself_reads()
    {
        await WriteHistoryAsync();

        await Store.CompactAsync(5);

        var ex = await AssertFailsAsync(DatastoreError.Compacted, () => GetAsync("a", revision: 4));
        Assert.Equal("etcdserver: mvcc: required revision has been compacted", ex.Message);
        await AssertFailsAsync(DatastoreError.Compacted, () => GetAsync("a", revision: 1));
        var atCompact = await ListAsync("", revision: 5);
        Assert.Equal(3, atCompact.Count);
        AssertKv(atCompact[0], "a", "a1", create: 2, mod: 2, version: 1);
        AssertKv(atCompact[1], "b", "b2", create: 3, mod: 5, version: 2);
        AssertKv(atCompact[2], "c", "c1", create: 4, mod: 4, version: 1);
        Assert.Equal(["a", "b", "d"], await ListKeysAsync("", revision: 7));
        Assert.Equal("b3", await GetValueAsync("b"));
    }

    [Fact]
    public async Task A_key_deleted_before_the_compact_revision_stays_deleted_and_can_be_recreated()
    {
        await WriteHistoryAsync();

        await Store.CompactAsync(7);

        Assert.Null(await GetAsync("c"));
        Assert.Null(await GetAsync("c", revision: 7));
        Assert.Equal(0, (await Store.RangeAsync(new RangeRequest(B("c")) { CountOnly = true })).Count);
        await PutAsync("c", "c2");
        AssertKv(await GetAsync("c"), "c", "c2", create: 9, mod: 9, version: 1);
    }

    [Fact]
    public async Task Compacting_the_same_or_a_lower_revision_again_fails_with_Compacted()
    {
        await WriteHistoryAsync();
        await Store.CompactAsync(5);

        await AssertFailsAsync(DatastoreError.Compacted, () => Store.CompactAsync(5));
        await AssertFailsAsync(DatastoreError.Compacted, () => Store.CompactAsync(3));

        Assert.Equal("b2", await GetValueAsync("b", revision: 5));
        await Store.CompactAsync(6);
        await AssertFailsAsync(DatastoreError.Compacted, () => GetAsync("b", revision: 5));
    }

    [Fact]
    public async Task Compacting_a_future_revision_fails_with_FutureRevision()
    {
        await WriteHistoryAsync();

        var ex = await AssertFailsAsync(DatastoreError.FutureRevision, () => Store.CompactAsync(9));

        Assert.Equal("etcdserver: mvcc: required revision is a future revision", ex.Message);
        Assert.Equal("a1", await GetValueAsync("a", revision: 2));
    }

    [Fact]
    public async Task Range_options_still_work_at_and_after_the_compact_revision()
    {
        await WriteHistoryAsync();
        await Store.CompactAsync(6);

        var counted = await Store.RangeAsync(new RangeRequest([0], [0]) { Revision = 6, CountOnly = true });
        var limited = await Store.RangeAsync(new RangeRequest([0], [0]) { Limit = 1, SortOrder = SortOrder.Descend });
        var filtered = await Store.RangeAsync(new RangeRequest([0], [0]) { MaxModRevision = 6 });

        Assert.Equal(2, counted.Count);
        Assert.Equal(("d", true, 3L), (S(limited.Kvs.Single().Key), limited.More, limited.Count));
        Assert.Equal(["a"], filtered.Kvs.Select(kv => S(kv.Key)));
    }

    [Fact]
    public async Task A_watch_from_a_compacted_revision_is_canceled_with_the_compact_revision()
    {
        await WriteHistoryAsync();
        await Store.CompactAsync(5);

        await using var watch = Watch(new WatchRequest(B("b")) { StartRevision = 4 });

        var batch = await watch.NextBatchAsync("the cancellation");
        Assert.True(batch.Canceled, "a watch from a compacted revision must be canceled");
        Assert.Equal(5, batch.CompactRevision);
        Assert.Empty(batch.Events);
        await watch.AssertEndsAsync();
    }

    [Fact]
    public async Task A_watch_from_exactly_the_compact_revision_replays_from_it()
    {
        await WriteHistoryAsync();
        await Store.CompactAsync(5);

        await using var watch = Watch(new WatchRequest([0], [0]) { StartRevision = 5, PrevKv = true });
        var events = await watch.NextEventsAsync(4);

        Assert.Equal([5L, 6L, 7L, 8L], events.Select(e => e.Kv.ModRevision));
        Assert.Equal(["b", "c", "d", "b"], events.Select(e => S(e.Kv.Key)));
        Assert.Equal(WatchEventType.Delete, events[1].Type);
        // events[0].PrevKv (b at revision 3) is compacted away; etcd sends none. Not asserted.
        AssertKv(events[1].PrevKv, "c", "c1", create: 4, mod: 4, version: 1);
    }

    [Fact]
    public async Task A_running_watch_keeps_delivering_after_a_compaction()
    {
        await using var watch = Watch(new WatchRequest(B("b")));
        await watch.EstablishedAsync();
        await WriteHistoryAsync();

        await Store.CompactAsync(8);
        await PutAsync("b", "b4");

        var events = await watch.NextEventsAsync(4);
        Assert.Equal([3L, 5L, 8L, 9L], events.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public async Task A_txn_range_at_a_compacted_revision_fails_with_Compacted_and_changes_nothing()
    {
        await WriteHistoryAsync();
        await Store.CompactAsync(5);

        await AssertFailsAsync(DatastoreError.Compacted, () => Store.TxnAsync(new TxnRequest([],
            [new TxnPutOp(new PutRequest(B("x"), B("1"))), new TxnRangeOp(new RangeRequest(B("a")) { Revision = 3 })], [])));

        Assert.Null(await GetAsync("x"));
        Assert.Equal(8, await CurrentRevisionAsync());
    }
}
