using System.Text;
using LiteKube.Datastore.Mvcc;

namespace LiteKube.Datastore.Tests.Mvcc;

/// <summary>A quick end-to-end pass over both engines; the full contract suite lives in Contract/.</summary>
public sealed class LocalStoreSmokeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lk-smoke-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    public static TheoryData<bool> Engines => new() { false, true };

    private LocalStore Open(bool rocks) => rocks ? LocalStore.OpenRocksDb(_dir) : LocalStore.CreateInMemory();

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Put_get_delete_watch_and_compact_work_together(bool rocks)
    {
        await using var store = Open(rocks);
        await using var watch = store.Watch(new WatchRequest(B("a/"), B("a0")) { PrevKv = true });
        var r1 = await store.PutAsync(new PutRequest(B("a/1"), B("one")));
        var r2 = await store.PutAsync(new PutRequest(B("a/2"), B("two")));
        var r3 = await store.PutAsync(new PutRequest(B("a/1"), B("uno")) { PrevKv = true });
        Assert.Equal([2L, 3L, 4L], new[] { r1.Revision, r2.Revision, r3.Revision });
        Assert.Equal("one", Encoding.UTF8.GetString(r3.PrevKv!.Value));

        var all = await store.RangeAsync(new RangeRequest(B("a/"), B("a0")));
        Assert.Equal(["uno", "two"], all.Kvs.Select(kv => Encoding.UTF8.GetString(kv.Value)));
        Assert.Equal(2, all.Kvs[0].Version);
        var old = await store.RangeAsync(new RangeRequest(B("a/1")) { Revision = 2 });
        Assert.Equal("one", Encoding.UTF8.GetString(old.Kvs.Single().Value));

        var deleted = await store.DeleteRangeAsync(new DeleteRangeRequest(B("a/"), B("a0")) { PrevKv = true });
        Assert.Equal(2, deleted.Deleted);
        Assert.Equal(5, deleted.Revision);

        var seen = new List<(WatchEventType, string, long)>();
        while (seen.Count < 5)
        {
            var batch = await watch.Batches.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            seen.AddRange(batch.Events.Select(e => (e.Type, Encoding.UTF8.GetString(e.Kv.Key), e.Kv.ModRevision)));
        }

        Assert.Equal([(WatchEventType.Put, "a/1", 2L), (WatchEventType.Put, "a/2", 3L), (WatchEventType.Put, "a/1", 4L), (WatchEventType.Delete, "a/1", 5L), (WatchEventType.Delete, "a/2", 5L)], seen);

        await store.CompactAsync(4);
        await Assert.ThrowsAsync<DatastoreException>(() => store.RangeAsync(new RangeRequest(B("a/1")) { Revision = 3 }));
        Assert.Empty((await store.RangeAsync(new RangeRequest(B("a/"), B("a0")))).Kvs);
    }

    [Fact]
    public async Task Data_survives_reopen()
    {
        await using (var store = Open(true))
        {
            await Task.WhenAll(Enumerable.Range(0, 100).Select(i => store.PutAsync(new PutRequest(B($"k/{i:D3}"), B($"v{i}")))));
            var lease = await store.LeaseGrantAsync(0, 60);
            await store.PutAsync(new PutRequest(B("leased"), B("x")) { Lease = lease.Id });
        }

        await using var reopened = Open(true);
        var result = await reopened.RangeAsync(new RangeRequest(B("k/"), B("k0")) { CountOnly = true });
        Assert.Equal(100, result.Count);
        Assert.Equal(102, result.Revision);
        var list = await reopened.LeaseListAsync();
        var ttl = await reopened.LeaseTimeToLiveAsync(list.Ids.Single(), includeKeys: true);
        Assert.Equal("leased", Encoding.UTF8.GetString(ttl!.Keys.Single()));
    }

    [Fact]
    public async Task A_watch_from_a_future_revision_sees_nothing_before_it()
    {
        await using var store = Open(false);
        await using var watch = store.Watch(new WatchRequest(B("f")) { StartRevision = 4 });
        for (var i = 0; i < 4; i++)
        {
            await store.PutAsync(new PutRequest(B("f"), B($"v{i}")));
        }

        var batch = await watch.Batches.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([4L, 5L], await CollectRevisions(watch, batch, 2));
    }

    [Fact]
    public async Task Keys_only_ranges_sorted_by_value_are_ordered_by_the_values()
    {
        await using var store = Open(false);
        await store.PutAsync(new PutRequest(B("s/a"), B("3")));
        await store.PutAsync(new PutRequest(B("s/b"), B("1")));
        await store.PutAsync(new PutRequest(B("s/c"), B("2")));
        var result = await store.RangeAsync(new RangeRequest(B("s/"), B("s0")) { KeysOnly = true, SortTarget = SortTarget.Value, SortOrder = SortOrder.Ascend });
        Assert.Equal(["s/b", "s/c", "s/a"], result.Kvs.Select(kv => Encoding.UTF8.GetString(kv.Key)));
        Assert.All(result.Kvs, kv => Assert.Empty(kv.Value));
    }

    [Fact]
    public async Task A_snapshot_leaves_the_callers_stream_open_and_restores_to_the_same_data()
    {
        await using (var store = Open(false))
        {
            await store.PutAsync(new PutRequest(B("snap"), B("shot")));
            using var destination = new MemoryStream();
            await store.WriteSnapshotAsync(destination);
            Assert.True(destination.CanWrite);
            destination.Position = 0;
            LocalStore.RestoreSnapshot(destination, _dir);
        }

        await using var restored = Open(true);
        Assert.Equal("shot", Encoding.UTF8.GetString((await restored.RangeAsync(new RangeRequest(B("snap")))).Kvs.Single().Value));
    }

    private static async Task<List<long>> CollectRevisions(IWatch watch, WatchBatch first, int count)
    {
        var revisions = first.Events.Select(e => e.Kv.ModRevision).ToList();
        while (revisions.Count < count)
        {
            var next = await watch.Batches.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            revisions.AddRange(next.Events.Select(e => e.Kv.ModRevision));
        }

        return revisions;
    }
}
