using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// Delivers committed changes to watchers. A watcher is either synced (it has seen everything
/// up to the published revision and receives new events from <see cref="Publish"/>) or catching
/// up (a task replays the change log from disk). The switch from catching up to synced happens
/// under <see cref="_gate"/>, the same lock Publish holds, so nothing is skipped or repeated.
/// A synced watcher whose buffer is full falls back to catching up instead of blocking the writer.
/// </summary>
public sealed class WatchHub : IDisposable
{
    // Lock order: _gate, then nothing; never call out (await, I/O) while holding it.
    private readonly object _gate = new();
    private readonly HashSet<Watcher> _synced = [];
    private readonly HashSet<Watcher> _all = [];
    private readonly IStorageEngine _engine;
    private readonly Func<long> _compactRevision;
    private readonly ITimer _progressTimer;
    private long _published;

    public WatchHub(IStorageEngine engine, long publishedRevision, Func<long> compactRevision, TimeProvider time, TimeSpan progressInterval)
    {
        _engine = engine;
        _published = publishedRevision;
        _compactRevision = compactRevision;
        _progressTimer = time.CreateTimer(_ => NotifyIdleWatchers(), null, progressInterval, progressInterval);
    }

    /// <summary>Every change up to this revision is durable and visible to reads.</summary>
    public long PublishedRevision => Volatile.Read(ref _published);

    internal IStorageEngine Engine => _engine;

    internal long CompactRevision => _compactRevision();

    public IWatch Watch(WatchRequest request)
    {
        lock (_gate)
        {
            var watcher = new Watcher(this, request, request.StartRevision == 0 ? _published + 1 : request.StartRevision);
            _all.Add(watcher);
            if (watcher.NextRevision > _published)
            {
                _synced.Add(watcher);
            }
            else
            {
                watcher.StartCatchUp();
            }

            return watcher;
        }
    }

    /// <summary>Publishes a group of committed changes, in revision order, ending at <paramref name="revision"/>.</summary>
    public void Publish(long revision, IReadOnlyList<WatchEvent> events)
    {
        lock (_gate)
        {
            Volatile.Write(ref _published, revision);
            if (events.Count == 0)
            {
                return;
            }

            List<Watcher>? fallen = null;
            foreach (var watcher in _synced)
            {
                if (!watcher.TryDeliverLive(events, revision))
                {
                    (fallen ??= []).Add(watcher);
                }
            }

            foreach (var watcher in fallen ?? [])
            {
                _synced.Remove(watcher);
                watcher.StartCatchUp();
            }
        }
    }

    /// <summary>The store's data was replaced (a replicated member installed a snapshot) and is
    /// now at <paramref name="revision"/>: every synced watcher replays what it missed from
    /// the new change log, or is canceled if that part was compacted away.</summary>
    public void Restored(long revision)
    {
        lock (_gate)
        {
            Volatile.Write(ref _published, revision);
            foreach (var watcher in _synced.ToList())
            {
                if (watcher.NextRevision <= revision)
                {
                    _synced.Remove(watcher);
                    watcher.StartCatchUp();
                }
            }
        }
    }

    /// <summary>Called by a catching-up watcher: joins the synced set if it has caught up,
    /// else says up to which revision it must still read.</summary>
    internal bool TryJoin(Watcher watcher, out long target)
    {
        lock (_gate)
        {
            target = _published;
            if (!_all.Contains(watcher))
            {
                return true;
            }

            if (watcher.NextRevision <= _published)
            {
                return false;
            }

            _synced.Add(watcher);
            watcher.OnSynced(_published);
            return true;
        }
    }

    internal void RequestProgress(Watcher watcher)
    {
        lock (_gate)
        {
            if (_synced.Contains(watcher))
            {
                watcher.SendProgress(_published);
            }
            else
            {
                watcher.ProgressPending = true;
            }
        }
    }

    internal void Remove(Watcher watcher)
    {
        lock (_gate)
        {
            _synced.Remove(watcher);
            _all.Remove(watcher);
        }
    }

    private void NotifyIdleWatchers()
    {
        lock (_gate)
        {
            foreach (var watcher in _synced)
            {
                watcher.OnProgressTick(_published);
            }
        }
    }

    public void Dispose()
    {
        _progressTimer.Dispose();
        List<Watcher> all;
        lock (_gate)
        {
            all = [.. _all];
        }

        foreach (var watcher in all)
        {
            watcher.Cancel("etcdserver: server stopped");
        }
    }
}
