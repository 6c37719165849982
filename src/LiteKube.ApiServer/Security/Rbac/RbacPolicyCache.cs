using System.Text;
using System.Threading.Channels;
using LiteKube.ApiServer.Registry;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiteKube.ApiServer.Security.Rbac;

/// <summary>
/// Keeps an <see cref="RbacPolicy"/> snapshot of the four RBAC resources in memory: one list
/// at a single revision, then one datastore watch per resource prefix from the next revision,
/// so a change takes effect as soon as its watch event arrives (milliseconds).
/// </summary>
/// <remarks>
/// A snapshot may lag the datastore by the watch latency. <see cref="GetFreshAsync"/> closes
/// that gap for the one case that matters, a denial: it asks every watch for a progress
/// notification and waits until the snapshot has seen the store's current revision, so a
/// request right after <c>kubectl create rolebinding</c> is judged by the new binding.
/// If a watch fails or is compacted away, the cache lists again and keeps serving the last
/// snapshot meanwhile. Thread-safe: snapshots are immutable and swapped atomically.
/// </remarks>
public sealed partial class RbacPolicyCache(
    IKeyValueStore store, ObjectStore objects, ResourceCatalog catalog, TimeProvider time, ILogger<RbacPolicyCache> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FreshnessTimeout = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _signalLock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RbacPolicy _policy = RbacPolicy.Empty;
    private volatile IReadOnlyList<IWatch> _watches = [];

    /// <summary>The latest snapshot (empty until the first list completes).</summary>
    public RbacPolicy Current => _policy;

    /// <summary>The snapshot once the first list has completed.</summary>
    public async Task<RbacPolicy> GetAsync(CancellationToken cancellationToken)
    {
        await _loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _policy;
    }

    /// <summary>A snapshot that reflects every write the datastore had acknowledged when this
    /// call started; after <see cref="FreshnessTimeout"/> the latest snapshot, whatever its age.</summary>
    public async Task<RbacPolicy> GetFreshAsync(CancellationToken cancellationToken)
    {
        var policy = await GetAsync(cancellationToken).ConfigureAwait(false);
        var probe = Encoding.UTF8.GetBytes(Resource("clusterroles").StoragePrefix);
        var target = (await store.RangeAsync(new RangeRequest(probe) { CountOnly = true }, cancellationToken).ConfigureAwait(false)).Revision;
        if (policy.Revision >= target)
        {
            return policy;
        }

        foreach (var watch in _watches)
        {
            watch.RequestProgress();
        }

        using var timeout = new CancellationTokenSource(FreshnessTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        while (true)
        {
            Task changed;
            lock (_signalLock)
            {
                changed = _changed.Task;
            }

            policy = _policy;
            if (policy.Revision >= target)
            {
                return policy;
            }

            try
            {
                await changed.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogStale(logger, policy.Revision, target);
                return _policy;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListAndWatchAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DatastoreException or InvalidDataException or ChannelClosedException)
            {
                LogWatchFailed(logger, e);
            }

            await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ListAndWatchAsync(CancellationToken ct)
    {
        string[] plurals = ["roles", "clusterroles", "rolebindings", "clusterrolebindings"];
        var state = new RbacCacheState();
        long revision = 0;
        foreach (var plural in plurals)
        {
            var (items, listRevision, _) = await objects.ListAsync(Resource(plural), "", null, revision, 0, ct).ConfigureAwait(false);
            revision = listRevision;
            foreach (var item in items)
            {
                state.Apply(plural, item.Key, item.Object);
            }
        }

        var revisions = plurals.Select(_ => revision).ToArray();
        Publish(state.Build(revision));
        _loaded.TrySetResult();

        var merged = Channel.CreateUnbounded<(int Index, WatchBatch Batch)>(new UnboundedChannelOptions { SingleReader = true });
        var watches = plurals.Select(p =>
        {
            var prefix = Encoding.UTF8.GetBytes(Resource(p).StoragePrefix);
            return store.Watch(new WatchRequest(prefix, ObjectStore.PrefixEnd(prefix)) { StartRevision = revision + 1 });
        }).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pumps = watches.Select((w, i) => PumpAsync(w, i, merged.Writer, stop.Token)).ToList();
        _watches = watches;
        try
        {
            await foreach (var (index, batch) in merged.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (batch.Canceled)
                {
                    LogWatchCanceled(logger, plurals[index], batch.CancelReason ?? "canceled", batch.CompactRevision);
                    return;
                }

                foreach (var e in batch.Events)
                {
                    var key = Encoding.UTF8.GetString(e.Kv.Key);
                    state.Apply(plurals[index], key, e.Type == WatchEventType.Put ? ObjectStore.ToStored(e.Kv).Object : null);
                }

                revisions[index] = Math.Max(revisions[index], batch.Revision);
                Publish(state.Build(revisions.Min()));
            }
        }
        finally
        {
            _watches = [];
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var watch in watches)
            {
                await watch.DisposeAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(pumps).ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(IWatch watch, int index, ChannelWriter<(int, WatchBatch)> writer, CancellationToken ct)
    {
        try
        {
            await foreach (var batch in watch.Batches.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await writer.WriteAsync((index, batch), ct).ConfigureAwait(false);
            }

            // A watch that ends without a canceled batch was closed under us: list again.
            writer.TryWrite((index, new WatchBatch(0, []) { Canceled = true, CancelReason = "watch closed" }));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Publish(RbacPolicy policy)
    {
        _policy = policy;
        TaskCompletionSource changed;
        lock (_signalLock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private ResourceDefinition Resource(string plural) => catalog.Find("rbac.authorization.k8s.io", "v1", plural)!;

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "RBAC cache: watching the RBAC objects failed; listing again")]
    private static partial void LogWatchFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "RBAC cache: the {Resource} watch ended ({Reason}, compacted at {CompactRevision}); listing again")]
    private static partial void LogWatchCanceled(ILogger logger, string resource, string reason, long compactRevision);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "RBAC cache: still at revision {Revision} while the datastore is at {Target}; judging with the older policy")]
    private static partial void LogStale(ILogger logger, long revision, long target);
}
