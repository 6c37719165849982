using System.Threading.Channels;
using LiteKube.Datastore;
using Xunit;

namespace LiteKube.Datastore.Tests.Contract;

/// <summary>
/// Reads a watch's batches with bounded waits, so a missing event fails the test with a message
/// instead of hanging it. Owns the watch.
/// </summary>
public sealed class WatchProbe(IWatch watch, TimeSpan patience) : IAsyncDisposable
{
    public IWatch Watch { get; } = watch;

    /// <summary>Every batch read so far, in order.</summary>
    public List<WatchBatch> Seen { get; } = [];

    public async Task<WatchBatch> NextBatchAsync(string waitingFor = "the next watch batch")
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            var batch = await Watch.Batches.ReadAsync(timeout.Token);
            Seen.Add(batch);
            return batch;
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no watch batch within {patience.TotalSeconds} s while waiting for {waitingFor}");
        }
        catch (ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException($"the watch channel ended while waiting for {waitingFor}");
        }
    }

    /// <summary>Reads batches until <paramref name="count"/> events arrived. Progress
    /// notifications are skipped; a canceled batch fails the test; a batch that carries more
    /// events than asked for fails it too (the test would lose track of them).</summary>
    public async Task<List<WatchEvent>> NextEventsAsync(int count)
    {
        var events = new List<WatchEvent>(count);
        while (events.Count < count)
        {
            var batch = await NextBatchAsync($"event {events.Count + 1} of {count}");
            Assert.False(batch.Canceled, $"watch canceled after {events.Count} of {count} events: {batch.CancelReason}");
            AssertBatchIsWellFormed(batch);
            events.AddRange(batch.Events);
        }
        Assert.True(events.Count == count, $"expected {count} events, got {events.Count}");
        return events;
    }

    /// <summary>A progress notification: the next batch, which must be empty and not canceled.</summary>
    public async Task<WatchBatch> NextProgressAsync()
    {
        var batch = await NextBatchAsync("a progress notification");
        Assert.False(batch.Canceled, $"expected a progress notification, the watch was canceled: {batch.CancelReason}");
        Assert.True(batch.Events.Count == 0, $"expected a progress notification, got {batch.Events.Count} events");
        return batch;
    }

    /// <summary>Waits until the store has the watch in place. A store whose watch is a stream
    /// created asynchronously (the external store's etcd watch) may otherwise register it after
    /// the test's next steps: a compaction in between rightly cancels a watch that starts below
    /// the compacted revision. A progress notification is answered only by an established watch.</summary>
    public async Task EstablishedAsync()
    {
        Watch.RequestProgress();
        await NextProgressAsync();
    }

    /// <summary>Nothing has been delivered yet (checked without waiting).</summary>
    public void AssertNothingPending()
    {
        if (Watch.Batches.TryRead(out var batch))
        {
            Seen.Add(batch);
            Assert.Fail($"unexpected watch batch at revision {batch.Revision} with {batch.Events.Count} events, canceled={batch.Canceled}");
        }
    }

    /// <summary>Drains the channel and asserts it completes within the patience.</summary>
    public async Task AssertEndsAsync()
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            while (await Watch.Batches.WaitToReadAsync(timeout.Token))
            {
                while (Watch.Batches.TryRead(out var batch))
                {
                    Seen.Add(batch);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the watch channel did not complete within {patience.TotalSeconds} s");
        }
    }

    /// <summary>Events of a batch are in revision order and the batch revision covers them.</summary>
    public static void AssertBatchIsWellFormed(WatchBatch batch)
    {
        for (var i = 1; i < batch.Events.Count; i++)
        {
            Assert.True(batch.Events[i].Kv.ModRevision >= batch.Events[i - 1].Kv.ModRevision,
                $"events out of order within a batch: {batch.Events[i - 1].Kv.ModRevision} then {batch.Events[i].Kv.ModRevision}");
        }
        if (batch.Events.Count > 0)
        {
            Assert.True(batch.Revision >= batch.Events[^1].Kv.ModRevision,
                $"batch revision {batch.Revision} is below its last event's revision {batch.Events[^1].Kv.ModRevision}");
        }
    }

    public ValueTask DisposeAsync() => Watch.DisposeAsync();
}
