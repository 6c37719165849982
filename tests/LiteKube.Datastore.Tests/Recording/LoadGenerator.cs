using System.Diagnostics;
using System.Text;
using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;
using LiteKube.Datastore.Tests.WatchValidation;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>
/// Runs N concurrent clients doing random operations on a small key set under a fresh prefix,
/// with three watchers (the whole prefix with prev_kv, a single key, the prefix with progress
/// requests), and records it all for the checker and the watch validator.
/// </summary>
/// <remarks>
/// Client i and watcher i use <c>stores[i % stores.Count]</c>, so a cluster's members share the
/// load. Only the recorded clients may write under the prefix during a run, and nothing may
/// write anywhere else in the store either (the model tracks the global revision).
/// </remarks>
public static class LoadGenerator
{
    /// <param name="stop">When given, the clients also stop once it completes (a fault schedule
    /// that is done); <see cref="LoadOptions.Duration"/> and MaxOperations still bound the run.</param>
    public static async Task<LoadRun> RunAsync(IReadOnlyList<IKeyValueStore> stores, LoadOptions options, CancellationToken cancellationToken = default, Task? stop = null)
    {
        if (options.Keys < 3)
        {
            throw new ArgumentException("the operation mix needs at least 3 keys", nameof(options));
        }
        var prefix = Encoding.ASCII.GetBytes($"/checker/{Guid.NewGuid():N}"[..18] + "/");
        var prefixEnd = OperationMix.PrefixEnd(prefix);
        var keys = Enumerable.Range(0, options.Keys).Select(i => Encoding.ASCII.GetBytes($"{Encoding.ASCII.GetString(prefix)}k{i}")).ToArray();
        var recorder = new HistoryRecorder();

        var initial = await SettledReadAsync(stores[0], prefix, prefixEnd, recorder: null, options, cancellationToken).ConfigureAwait(false);
        var start = initial.Revision + 1;
        var watchers = new[]
        {
            new WatchRecorder(stores[0], "prefix+prev_kv", new WatchRequest(prefix, prefixEnd) { StartRevision = start, PrevKv = true }),
            new WatchRecorder(stores[1 % stores.Count], "key k0", new WatchRequest(keys[0]) { StartRevision = start }),
            new WatchRecorder(stores[2 % stores.Count], "prefix+progress", new WatchRequest(prefix, prefixEnd) { StartRevision = start, ProgressNotify = true }),
        };
        // Not validated as the others are: it only tells the model which revisions are not the run's.
        var others = options.OtherWriters ? new WatchRecorder(stores[0], "everything", new WatchRequest([0], [0]) { StartRevision = start }) : null;
        try
        {
            var leaseBase = (long)Random.Shared.Next(1, 1 << 20) << 24;
            var issued = 0;
            var deadline = Stopwatch.GetTimestamp() + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
            using var progress = new CancellationTokenSource();
            var progressTask = RequestProgressAsync(watchers[2], progress.Token);
            var clients = Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
            {
                var mix = new OperationMix(client, options.Seed, keys, prefix, prefixEnd, leaseBase);
                var inner = stores[client % stores.Count];
                var store = new RecordingStore(inner, recorder, client);
                while (Stopwatch.GetTimestamp() < deadline && stop is not { IsCompleted: true }
                    && Interlocked.Increment(ref issued) <= options.MaxOperations)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!await OneAsync(mix, store, options, cancellationToken).ConfigureAwait(false))
                    {
                        await BackOffAsync(inner, keys[0], options, deadline, stop, cancellationToken).ConfigureAwait(false);
                    }
                }
            }, cancellationToken)).ToArray();
            await Task.WhenAll(clients).ConfigureAwait(false);
            await progress.CancelAsync().ConfigureAwait(false);
            await progressTask.ConfigureAwait(false);

            var final = await SettledReadAsync(stores[0], prefix, prefixEnd, recorder, options, cancellationToken).ConfigureAwait(false);
            await CatchUpAsync([.. watchers, .. others is null ? [] : new[] { others }], final.Revision, options.SettleTimeout, cancellationToken).ConfigureAwait(false);
            await QuietAsync(watchers, options.SettleTimeout, cancellationToken).ConfigureAwait(false);
            HashSet<long>? foreign = null;
            if (others is not null)
            {
                // Stopped first: its record is read here, and a live watch would still append to it.
                await others.DisposeAsync().ConfigureAwait(false);
                foreign = ForeignRevisions(others.Record, prefix, final.Revision);
                others = null;
            }

            return new LoadRun(Encoding.ASCII.GetString(prefix), options.Seed, KvState.FromRead(initial),
                recorder.Snapshot(), watchers.Select(w => w.Record).ToArray(), final.Revision, foreign);
        }
        finally
        {
            if (others is not null)
            {
                await others.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <returns>False when the outcome is unknown (the store did not answer).</returns>
    private static async Task<bool> OneAsync(OperationMix mix, IKeyValueStore store, LoadOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.OperationTimeout);
        try
        {
            await mix.RunOneAsync(store, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (DatastoreException e) when (e.Error != DatastoreError.Unavailable)
        {
            // A definite error (lease not found, ...) is recorded and is part of the workload.
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Unknown outcome, recorded as such.
            return false;
        }
    }

    /// <summary>
    /// After an unknown outcome, a client issues nothing more until the store answers again (an
    /// unrecorded read, retried), as a real client backs off to a readiness probe. Every unknown
    /// write is a choice the checker must explore in every order; a client hammering a cluster
    /// that is down (a power loss: all members restart for seconds) would pile up dozens and make
    /// the history undecidable without testing anything more. So each client leaves at most one
    /// unknown outcome per outage. The probe is a read: it changes nothing the checker models.
    /// </summary>
    private static async Task BackOffAsync(IKeyValueStore store, byte[] key, LoadOptions options, long deadline, Task? stop, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetTimestamp() < deadline && stop is not { IsCompleted: true })
        {
            await Task.Delay(options.BackOff, cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.OperationTimeout);
            try
            {
                await store.RangeAsync(new RangeRequest(key), timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Still down (or no leader yet): probe again.
            }
        }
    }

    /// <summary>Reads the prefix until a read succeeds; the final one is recorded (it pins the end
    /// state, and with it the order of trailing writes whose outcome was unknown).</summary>
    private static async Task<RangeResult> SettledReadAsync(
        IKeyValueStore store, byte[] prefix, byte[] prefixEnd, HistoryRecorder? recorder, LoadOptions options, CancellationToken cancellationToken)
    {
        var reader = recorder is null ? store : new RecordingStore(store, recorder, client: -1);
        var giveUp = Stopwatch.GetTimestamp() + (long)(options.SettleTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.OperationTimeout);
            try
            {
                return await reader.RangeAsync(new RangeRequest(prefix, prefixEnd), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < giveUp)
            {
                _ = e;
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RequestProgressAsync(WatchRecorder watcher, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                watcher.RequestProgress();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Asks for progress until every watcher has had two progress notifications at or
    /// beyond the final revision (two: see <see cref="WatchValidation.ProgressTrust"/>) or an event
    /// after it (the watch outside the prefix, which other writers keep busy), or the patience
    /// runs out; the validator then reports where each one stopped.</summary>
    private static async Task CatchUpAsync(IReadOnlyList<WatchRecorder> watchers, long revision, TimeSpan patience, CancellationToken cancellationToken)
    {
        var giveUp = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        while (watchers.Any(w => w.Record.ProgressAtOrAbove(revision) < 2 && w.Record.LastEventRevision <= revision && !Ended(w))
            && Stopwatch.GetTimestamp() < giveUp)
        {
            foreach (var watcher in watchers)
            {
                watcher.RequestProgress();
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A store whose progress notifications can run ahead of events (etcd-io/etcd#15220)
    /// may still be delivering: waits until nothing has arrived for a moment (not counting the watch
    /// outside the prefix, which other writers may keep busy for ever).</summary>
    private static async Task QuietAsync(IReadOnlyList<WatchRecorder> watchers, TimeSpan patience, CancellationToken cancellationToken)
    {
        var giveUp = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        var count = watchers.Sum(w => w.Record.BatchCount);
        for (var quiet = 0; quiet < 4 && Stopwatch.GetTimestamp() < giveUp; quiet++)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            var now = watchers.Sum(w => w.Record.BatchCount);
            if (now != count)
            {
                (quiet, count) = (-1, now);
            }
        }
    }

    /// <summary>The revisions of events outside the prefix, up to <paramref name="final"/>; the watch
    /// must have reached it, or the model would take a foreign write for a lost one.</summary>
    private static HashSet<long> ForeignRevisions(WatchRecord everything, byte[] prefix, long final)
    {
        if (everything.Canceled || everything.ReachedRevision < final)
        {
            throw new InvalidOperationException(
                $"the watch on every key reached revision {everything.ReachedRevision} of {final}{(everything.Canceled ? " and was canceled" : "")}: " +
                "the revisions other writers took are not all known, so the history cannot be checked");
        }
        return everything.Batches.SelectMany(b => b.Batch.Events)
            .Where(e => !e.Kv.Key.AsSpan().StartsWith(prefix) && e.Kv.ModRevision <= final)
            .Select(e => e.Kv.ModRevision)
            .ToHashSet();
    }

    private static bool Ended(WatchRecorder watcher) => watcher.Record.Canceled;
}
