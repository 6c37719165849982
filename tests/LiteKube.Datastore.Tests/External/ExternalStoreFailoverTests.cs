using System.Collections.Concurrent;
using System.Text;
using LiteKube.Datastore.External;

namespace LiteKube.Datastore.Tests.External;

/// <summary>
/// kill -9 of the member the store talks to, in the middle of a write load, on a real 3-member
/// etcd cluster: every acknowledged write is readable afterwards with the revision it was
/// acknowledged at, and a watch started before the kill sees every revision exactly once.
/// </summary>
public sealed class ExternalStoreFailoverTests
{
    private const string Prefix = "load/";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killing_the_member_in_use_loses_no_acknowledged_write_and_the_watch_continues_without_gap()
    {
        await using var etcd = await EtcdCluster.StartAsync(3, heartbeat: TimeSpan.FromMilliseconds(50), electionTimeout: TimeSpan.FromMilliseconds(500), inMemory: true);
        await using var store = ExternalStore.Create(etcd.StoreOptions());
        var start = await store.WaitUntilReachableAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        await using var watch = store.Watch(new WatchRequest(B(Prefix), B("load0")) { StartRevision = start + 1 });

        var acknowledged = new ConcurrentDictionary<string, long>();
        var unknown = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var key = $"{Prefix}w{w}/{n:D5}";
                try
                {
                    acknowledged[key] = (await store.PutAsync(new PutRequest(B(key), B($"v{n}")))).Revision;
                }
                catch (DatastoreException e) when (e.Error == DatastoreError.Unavailable)
                {
                    // Outcome unknown (the member died with the write in flight): it may or may
                    // not be there; the store must not have retried it behind our back.
                    Interlocked.Increment(ref unknown);
                    await Task.Delay(20);
                }
            }
        })).ToArray();

        await UntilAsync(() => acknowledged.Count >= 150, "150 writes before the kill");
        etcd.Members[0].Kill();
        var atKill = acknowledged.Count;
        await UntilAsync(() => acknowledged.Count >= atKill + 150, "150 more writes after killing member m1");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var end = (await store.RangeAsync(new RangeRequest([0], [0]) { CountOnly = true })).Revision;
        foreach (var (key, revision) in acknowledged)
        {
            var kv = Assert.Single((await store.RangeAsync(new RangeRequest(B(key)))).Kvs);
            Assert.Equal(revision, kv.ModRevision);
        }

        // Only this test writes, one key per revision: the watch must see start+1..end, each once.
        var seen = new List<long>();
        using var timeout = new CancellationTokenSource(Patience);
        while (seen.Count == 0 || seen[^1] < end)
        {
            var batch = await watch.Batches.ReadAsync(timeout.Token);
            Assert.False(batch.Canceled, batch.CancelReason);
            seen.AddRange(batch.Events.Select(e => e.Kv.ModRevision));
        }
        Assert.Equal(Enumerable.Range((int)start + 1, (int)(end - start)).Select(r => (long)r), seen);
        Assert.True(acknowledged.Count + unknown >= atKill + 150);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
}
