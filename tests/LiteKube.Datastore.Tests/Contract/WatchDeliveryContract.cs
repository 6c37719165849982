using System.Collections.Concurrent;
using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>Watch delivery guarantees under load and for slow readers.</summary>
public abstract class WatchDeliveryContract<TStore> : StoreContract<TStore>
    where TStore : IStoreUnderTest, new()
{
    /// <summary>Runs <paramref name="writers"/> tasks that each put <paramref name="putsPerWriter"/>
    /// keys under "load/", and returns value by acknowledged revision.</summary>
    private async Task<SortedDictionary<long, string>> PutConcurrentlyAsync(int writers, int putsPerWriter)
    {
        var acked = new ConcurrentDictionary<long, string>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < putsPerWriter; i++)
            {
                var value = $"{w}-{i}";
                var put = await PutAsync($"load/{w}/{i % 10}", value);
                Assert.True(acked.TryAdd(put.Revision, value), $"revision {put.Revision} was acknowledged twice");
            }
        })));
        return new SortedDictionary<long, string>(acked);
    }

    private static void AssertEventsMatch(SortedDictionary<long, string> acked, List<WatchEvent> events)
    {
        var revisions = events.Select(e => e.Kv.ModRevision).ToList();
        for (var i = 1; i < revisions.Count; i++)
        {
            Assert.True(revisions[i] > revisions[i - 1],
                $"event {i} has revision {revisions[i]} after {revisions[i - 1]}: a duplicate or out of order");
        }
        var missing = acked.Keys.Except(revisions).Take(5).ToList();
        Assert.True(missing.Count == 0, $"acknowledged revisions never delivered: {string.Join(", ", missing)}");
        Assert.Equal(acked.Keys, revisions);
        Assert.All(events, e => Assert.Equal(acked[e.Kv.ModRevision], S(e.Kv.Value)));
    }

    [Fact]
    public async Task A_watch_sees_every_revision_of_concurrent_writers_once_and_in_order()
    {
        await using var watch = WatchPrefix("load/");
        var reading = watch.NextEventsAsync(1000);

        var acked = await PutConcurrentlyAsync(writers: 4, putsPerWriter: 250);
        var events = await reading;

        Assert.Equal(1000, acked.Count);
        Assert.Equal(Enumerable.Range(2, 1000).Select(r => (long)r), acked.Keys);
        AssertEventsMatch(acked, events);
        foreach (var batch in watch.Seen)
        {
            WatchProbe.AssertBatchIsWellFormed(batch);
        }
    }

    [Fact]
    public async Task A_watch_started_mid_load_from_a_past_revision_has_no_gap_between_history_and_live_events()
    {
        var firstHalf = await PutConcurrentlyAsync(writers: 4, putsPerWriter: 50);
        await using var watch = WatchPrefix("load/", startRevision: 2);
        var reading = watch.NextEventsAsync(400);

        var secondHalf = await PutConcurrentlyAsync(writers: 4, putsPerWriter: 50);
        var events = await reading;

        var acked = new SortedDictionary<long, string>(firstHalf.Concat(secondHalf).ToDictionary());
        AssertEventsMatch(acked, events);
    }

    [Fact]
    public async Task A_slow_consumer_that_reads_nothing_for_a_while_still_gets_every_event()
    {
        await using var watch = WatchPrefix("load/");

        var acked = await PutConcurrentlyAsync(writers: 8, putsPerWriter: 100);
        await DeleteAsync("load/0/0");
        var events = await watch.NextEventsAsync(801);

        AssertEventsMatch(acked, events.Take(800).ToList());
        Assert.Equal(WatchEventType.Delete, events[800].Type);
        Assert.Equal(acked.Keys.Max() + 1, events[800].Kv.ModRevision);
    }
}
