using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LiteKube.ApiServer.Http;
using LiteKube.ApiServer.Resources;
using LiteKube.Datastore;

namespace LiteKube.ApiServer.Registry.Watching;

/// <summary>
/// Recent changes of one resource, fed by ONE datastore watch on its prefix, from which every
/// client watch of that resource is served: a thousand watchers cost one datastore watch and
/// one JSON parse and one serialization per change. Keeps the changes that fit in its
/// <see cref="WatchCacheLimits"/>; a watch from an older resourceVersion gets 410 Gone, as
/// upstream's watch cache answers.
/// </summary>
public sealed class WatchCache(ResourceDefinition resource, IKeyValueStore store, WatchCacheLimits? limits = null)
{
    private readonly WatchCacheLimits _limits = limits ?? WatchCacheLimits.Default;

    // Lock order: _gate only; never held across an await.
    private readonly object _gate = new();
    private readonly Queue<CachedEvent> _events = new();
    private long _bytes;
    private readonly HashSet<CacheWatcher> _watchers = [];
    private long _oldest = long.MaxValue;
    private long _revision;
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceDefinition Resource => resource;

    /// <summary>The newest revision this cache has seen (events or progress).</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    public Task Started => _started.Task;

    /// <summary>Runs the datastore watch until canceled, restarting it if the datastore ends it
    /// (e.g. after compaction): a restart drops the buffer and every watcher.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var prefix = Encoding.UTF8.GetBytes(resource.StoragePrefix);
        var end = ObjectStore.PrefixEnd(prefix);
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = await store.RangeAsync(new RangeRequest(prefix, end) { CountOnly = true }, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _events.Clear();
                _bytes = 0;
                _oldest = now.Revision;
                _revision = now.Revision;
            }

            _started.TrySetResult();
            await using var watch = store.Watch(new WatchRequest(prefix, end) { StartRevision = now.Revision + 1, PrevKv = true, ProgressNotify = true });
            await foreach (var batch in watch.Batches.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (batch.Canceled)
                {
                    break;
                }

                Ingest(batch);
            }

            DropAll(new WatcherTooSlowException());
        }
    }

    /// <summary>Registers a watcher for events after <paramref name="afterRevision"/>; replays the
    /// buffered ones first. Throws <see cref="ResourceVersionTooOldException"/> when they are gone.</summary>
    public CacheWatcher Watch(WatchFilter filter, long afterRevision)
    {
        var watcher = new CacheWatcher(filter, afterRevision);
        lock (_gate)
        {
            if (afterRevision < _oldest)
            {
                throw new ResourceVersionTooOldException(afterRevision, _oldest);
            }

            foreach (var e in _events)
            {
                if (!watcher.Offer(e))
                {
                    return watcher;
                }
            }

            _watchers.Add(watcher);
        }

        return watcher;
    }

    public void Stop(CacheWatcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }

        watcher.Close();
    }

    private void Ingest(WatchBatch batch)
    {
        var events = batch.Events.Select(ToCached).ToList();
        lock (_gate)
        {
            foreach (var e in events)
            {
                _events.Enqueue(e);
                _bytes += e.Json.Length;
                // The newest change always stays, however large.
                while (_events.Count > 1 && (_events.Count > _limits.Events || _bytes > _limits.Bytes))
                {
                    var dropped = _events.Dequeue();
                    _bytes -= dropped.Json.Length;
                    _oldest = dropped.Revision;
                }

                _watchers.RemoveWhere(w => !w.Offer(e));
            }

            _revision = Math.Max(_revision, batch.Revision);
        }
    }

    private CachedEvent ToCached(WatchEvent e)
    {
        var revision = e.Kv.ModRevision;
        var previous = e.PrevKv is null ? null : Parse(e.PrevKv.Value, revision);
        if (e.Type == WatchEventType.Delete)
        {
            // The datastore always has the previous version of a deleted key in our watch (PrevKv).
            var last = previous ?? new JsonObject();
            var facts = Facts(last);
            return new CachedEvent(revision, WatchEventKind.Deleted, Serialize(last), facts, facts);
        }

        var current = Parse(e.Kv.Value, revision);
        var kind = e.Kv.Version == 1 ? WatchEventKind.Added : WatchEventKind.Modified;
        return new CachedEvent(revision, kind, Serialize(current), Facts(current), previous is null ? null : Facts(previous));
    }

    /// <summary>The object as every watcher sends it, so that each send is a copy of bytes.</summary>
    private byte[] Serialize(JsonObject obj)
    {
        obj["apiVersion"] ??= resource.GroupVersion;
        obj["kind"] ??= resource.Kind;
        return JsonSerializer.SerializeToUtf8Bytes(obj, StatusResponses.Json);
    }

    private static JsonObject Parse(byte[] json, long revision)
    {
        var obj = JsonNode.Parse(json)?.AsObject() ?? [];
        ObjectStore.Metadata(obj)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        return obj;
    }

    private ObjectFacts Facts(JsonObject obj) => ObjectFacts.Of(obj, resource);

    private void DropAll(Exception reason)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Close(reason);
            }

            _watchers.Clear();
        }
    }
}

/// <summary>The watch asked for changes the cache no longer holds (410 Gone, reason Expired).</summary>
public sealed class ResourceVersionTooOldException(long requested, long oldest)
    : Exception($"too old resource version: {requested} ({oldest})");
