using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.WatchValidation;

/// <summary>A batch as a watcher received it, with the monotonic time it arrived.</summary>
public sealed record ObservedBatch(long ReceivedAt, WatchBatch Batch);

/// <summary>Everything one watcher received, in arrival order. <see cref="WatchRequest.StartRevision"/>
/// must be explicit (not 0) so that "from its start" is checkable.</summary>
public sealed class WatchRecord(string name, WatchRequest request)
{
    private readonly List<ObservedBatch> _batches = [];

    public string Name { get; } = name;

    public WatchRequest Request { get; } = request;

    /// <summary>Safe to read once the watcher is stopped.</summary>
    public IReadOnlyList<ObservedBatch> Batches => _batches;

    public int BatchCount
    {
        get
        {
            lock (_batches)
            {
                return _batches.Count;
            }
        }
    }

    /// <summary>The highest revision the watcher is known to be complete up to: its last event's
    /// or its last progress notification's revision, whichever is higher.</summary>
    public long ReachedRevision { get; private set; }

    /// <summary>The revision of the last event received (0: none yet).</summary>
    public long LastEventRevision { get; private set; }

    /// <summary>The store canceled the watch (the last batch says why).</summary>
    public bool Canceled { get; private set; }

    /// <summary>Progress notifications received at or above <paramref name="revision"/>.</summary>
    public int ProgressAtOrAbove(long revision)
    {
        lock (_batches)
        {
            return _batches.Count(b => !b.Batch.Canceled && b.Batch.Events.Count == 0 && b.Batch.Revision >= revision);
        }
    }

    public void Add(long receivedAt, WatchBatch batch)
    {
        lock (_batches)
        {
            _batches.Add(new ObservedBatch(receivedAt, batch));
            Canceled |= batch.Canceled;
            if (!batch.Canceled)
            {
                var reached = batch.Events.Count == 0 ? batch.Revision : batch.Events[^1].Kv.ModRevision;
                ReachedRevision = Math.Max(ReachedRevision, reached);
                LastEventRevision = batch.Events.Count == 0 ? LastEventRevision : batch.Events[^1].Kv.ModRevision;
            }
        }
    }
}
