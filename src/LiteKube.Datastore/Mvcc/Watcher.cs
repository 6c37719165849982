using System.Threading.Channels;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>One watch: its filter, its buffer, and its catch-up from the change log.
/// Fields marked "under hub gate" are only touched while <see cref="WatchHub"/> holds its lock.</summary>
internal sealed class Watcher : IWatch
{
    /// <summary>Batches buffered before a synced watcher falls back to catching up.</summary>
    private const int LiveBufferBatches = 256;

    /// <summary>Events per batch when replaying history.</summary>
    private const int CatchUpBatchEvents = 1000;

    private readonly WatchHub _hub;
    private readonly WatchRequest _request;
    private readonly KeyRange _range;
    private readonly Channel<WatchBatch> _channel = Channel.CreateBounded<WatchBatch>(
        new BoundedChannelOptions(LiveBufferBatches) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();

    public Watcher(WatchHub hub, WatchRequest request, long nextRevision)
    {
        _hub = hub;
        _request = request;
        _range = new KeyRange(request.Key, request.RangeEnd);
        NextRevision = nextRevision;
    }

    /// <summary>The first revision not yet delivered (under hub gate once registered).</summary>
    public long NextRevision { get; private set; }

    /// <summary>A progress request arrived while catching up (under hub gate).</summary>
    public bool ProgressPending { get; set; }

    // Whether anything was sent since the last idle tick (under hub gate).
    private bool _sentSinceTick;

    public ChannelReader<WatchBatch> Batches => _channel.Reader;

    public void RequestProgress() => _hub.RequestProgress(this);

    /// <summary>Under hub gate. False when the buffer is full: the caller moves us to catch-up.</summary>
    public bool TryDeliverLive(IReadOnlyList<WatchEvent> events, long revision)
    {
        var matching = Filter(events.Where(e => e.Kv.ModRevision >= NextRevision));
        if (matching.Count > 0)
        {
            if (!_channel.Writer.TryWrite(new WatchBatch(revision, matching)))
            {
                return false;
            }

            _sentSinceTick = true;
        }

        // Max: a watch may start at a future revision, which must not be lowered.
        NextRevision = Math.Max(NextRevision, revision + 1);
        return true;
    }

    /// <summary>Under hub gate.</summary>
    public void SendProgress(long revision)
    {
        // A full buffer already holds newer news than an empty batch would bring.
        if (_channel.Writer.TryWrite(new WatchBatch(revision, [])))
        {
            _sentSinceTick = true;
        }
    }

    /// <summary>Under hub gate.</summary>
    public void OnSynced(long revision)
    {
        if (ProgressPending)
        {
            ProgressPending = false;
            SendProgress(revision);
        }
    }

    /// <summary>Under hub gate.</summary>
    public void OnProgressTick(long revision)
    {
        if (_request.ProgressNotify && !_sentSinceTick)
        {
            SendProgress(revision);
        }

        _sentSinceTick = false;
    }

    /// <summary>Under hub gate: starts the replay task.</summary>
    public void StartCatchUp() => _ = Task.Run(CatchUpAsync);

    private async Task CatchUpAsync()
    {
        try
        {
            while (!_hub.TryJoin(this, out var target))
            {
                var batches = ReadHistory(target);
                if (batches is null)
                {
                    return;
                }

                foreach (var batch in batches)
                {
                    await _channel.Writer.WriteAsync(batch, _stop.Token).ConfigureAwait(false);
                }

                // Only this task moves NextRevision while we are not synced.
                NextRevision = target + 1;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is DatastoreException or ChannelClosedException)
        {
            Cancel(e.Message);
        }
    }

    /// <summary>Events in [NextRevision, target] from the change log, cut into batches at
    /// revision boundaries; null when the start revision has been compacted (the watch is canceled).</summary>
    private List<WatchBatch>? ReadHistory(long target)
    {
        using var view = _hub.Engine.OpenView();
        // Checked after the view is open: a compaction that starts later cannot touch the view.
        var compacted = _hub.CompactRevision;
        if (NextRevision < compacted)
        {
            _channel.Writer.TryWrite(new WatchBatch(compacted, [])
            {
                Canceled = true,
                CompactRevision = compacted,
                CancelReason = "etcdserver: mvcc: required revision has been compacted",
            });
            _channel.Writer.TryComplete();
            _hub.Remove(this);
            return null;
        }

        var batches = new List<WatchBatch>();
        var pending = new List<WatchEvent>();
        var pendingRevision = 0L;
        using var it = view.Iterate(Column.Revisions, KeyLayout.RevisionKey(NextRevision, 0), KeyLayout.RevisionKey(target + 1, 0));
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var (revision, _) = KeyLayout.ParseRevisionKey(it.Key);
            if (revision != pendingRevision && pending.Count >= CatchUpBatchEvents)
            {
                batches.Add(new WatchBatch(pendingRevision, pending));
                pending = [];
            }

            pendingRevision = revision;
            var key = it.Value.ToArray();
            if (_range.Contains(key) && ReadEvent(view, key, revision) is { } e && Passes(e))
            {
                pending.Add(e);
            }
        }

        if (pending.Count > 0)
        {
            batches.Add(new WatchBatch(Math.Max(pendingRevision, target), pending));
        }

        return batches;
    }

    private WatchEvent? ReadEvent(IStorageView view, byte[] key, long revision)
    {
        var prefix = KeyLayout.KeyPrefix(key);
        var data = view.Get(Column.Kv, KeyLayout.KvKey(prefix, revision));
        if (data is null)
        {
            return null;
        }

        var record = VersionRecord.Decode(data);
        var previous = _request.PrevKv && revision > 1 ? VersionScanner.Get(view, key, revision - 1) : null;
        return record.Tombstone
            ? new WatchEvent(WatchEventType.Delete, new KeyValue(key, [], 0, revision, 0, 0), previous)
            : new WatchEvent(WatchEventType.Put, record.ToKeyValue(key, revision), previous);
    }

    private List<WatchEvent> Filter(IEnumerable<WatchEvent> events)
    {
        var result = new List<WatchEvent>();
        foreach (var e in events)
        {
            if (_range.Contains(e.Kv.Key) && Passes(e))
            {
                result.Add(_request.PrevKv || e.PrevKv is null ? e : e with { PrevKv = null });
            }
        }

        return result;
    }

    private bool Passes(WatchEvent e) =>
        !(e.Type == WatchEventType.Put && _request.NoPut) && !(e.Type == WatchEventType.Delete && _request.NoDelete);

    public void Cancel(string reason)
    {
        _hub.Remove(this);
        _channel.Writer.TryWrite(new WatchBatch(_hub.PublishedRevision, []) { Canceled = true, CancelReason = reason });
        _channel.Writer.TryComplete();
        _stop.Cancel();
    }

    public ValueTask DisposeAsync()
    {
        _hub.Remove(this);
        _channel.Writer.TryComplete();
        _stop.Cancel();
        return ValueTask.CompletedTask;
    }
}
