using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// The applied side of a datastore, shared by the single-node <see cref="LocalStore"/> (fed by
/// its writer thread) and the replicated store (fed by Raft's committed entries): the
/// <see cref="MvccStateMachine"/>, the watch hub, reads at the published revision, the
/// background compactor and maintenance. Commands are applied as groups by one thread at a time
/// (<see cref="Apply"/> then <see cref="Publish"/>); everything else is thread-safe.
/// </summary>
/// <remarks>A group's changes become visible to reads and watchers only at <see cref="Publish"/>,
/// so the owner decides when they are durable enough to show (synced to disk for the local
/// store, committed by a quorum for the replicated one).</remarks>
public sealed partial class AppliedState
{
    private readonly IStorageEngine _engine;
    private readonly WatchHub _hub;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<WatchEvent> _groupEvents = [];
    private long _groupRevision;
    private long _groupCompact;
    private bool _groupChangedLeases;
    private volatile Exception? _failure;

    // The compaction revision readers check; written after the compact command is durable.
    private long _compactRevision;

    public AppliedState(IStorageEngine engine, TimeProvider time, TimeSpan progressNotifyInterval)
    {
        _engine = engine;
        Machine = new MvccStateMachine(engine, time);
        _compactRevision = Machine.CompactRevision;
        _hub = new WatchHub(engine, Machine.Revision, () => Volatile.Read(ref _compactRevision), time, progressNotifyInterval);
        _groupRevision = Machine.Revision;
        _groupCompact = Machine.CompactRevision;
        _compactor = Task.Run(CompactLoopAsync);
        if (Machine.CompactFinished < Machine.CompactRevision)
        {
            _compactSignal.Release();
        }
    }

    /// <summary>The state machine; only the applying thread may change it.</summary>
    public MvccStateMachine Machine { get; }

    /// <summary>Every change up to this revision is visible to reads and watchers.</summary>
    public long PublishedRevision => _hub.PublishedRevision;

    public long CompactRevision => Volatile.Read(ref _compactRevision);

    /// <summary>Set once the disk refused a write; the state serves nothing more after that.</summary>
    public Exception? Failure => _failure;

    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>
    /// Applies one command of the current group. A rejected command fails alone (its error is
    /// returned) and changes nothing but its <paramref name="position"/>; a disk failure throws
    /// and the state stops serving.
    /// </summary>
    public (object? Response, Exception? Error) Apply(Command command, LogPosition? position = null)
    {
        try
        {
            var applied = Machine.Apply(command, position);
            _groupEvents.AddRange(applied.Events);
            _groupChangedLeases |= command is LeaseGrantCommand or LeaseRevokeCommand;
            return (applied.Response, null);
        }
        catch (Exception e) when (e is not DatastoreException { Error: DatastoreError.Unavailable })
        {
            // The state machine writes a command's batch only after the command has fully run.
            if (position is { } p)
            {
                Guarded(() => Machine.RecordPosition(p));
            }

            return (null, e);
        }
    }

    /// <summary>Records a log position whose entry has no effect (a duplicate or an entry that
    /// is not a command), so that it is not applied again after a restart.</summary>
    public void Skip(LogPosition position) => Guarded(() => Machine.RecordPosition(position));

    /// <summary>
    /// Ends the group: syncs when <paramref name="syncWrites"/> and the group changed anything
    /// (a compaction is always synced before the compactor may delete what it hides), then
    /// shows the group to readers and watchers.
    /// </summary>
    public void Publish(bool syncWrites)
    {
        var compactChanged = Machine.CompactRevision != _groupCompact;
        var changed = Machine.Revision != _groupRevision || compactChanged || _groupChangedLeases;
        if ((syncWrites && changed) || compactChanged)
        {
            Guarded(Machine.Sync);
        }

        if (compactChanged)
        {
            Volatile.Write(ref _compactRevision, Machine.CompactRevision);
            _compactSignal.Release();
        }

        _hub.Publish(Machine.Revision, [.. _groupEvents]);
        _groupEvents.Clear();
        _groupRevision = Machine.Revision;
        _groupCompact = Machine.CompactRevision;
        _groupChangedLeases = false;
    }

    /// <summary>Makes everything applied so far durable (before the replicated log drops entries).</summary>
    public void Sync() => Guarded(Machine.Sync);

    /// <summary>Runs a write; a failure marks the whole state failed and is rethrown.</summary>
    private void Guarded(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e)
        {
            // The disk refused a write: what is in memory may no longer match it. Stop serving
            // rather than risk answering from a state that a restart would not have.
            _failure ??= e;
            throw Unavailable();
        }
    }

    /// <summary>Marks the state failed (the owner's apply loop hit a disk error).</summary>
    public void Fail(Exception e) => _failure ??= e;

    public void ThrowIfStopped()
    {
        if (_stopping.IsCancellationRequested || _failure is not null)
        {
            throw Unavailable();
        }
    }

    public DatastoreException Unavailable() => _failure is { } failure
        ? new DatastoreException(DatastoreError.Unavailable, $"litekube: datastore failed: {failure.Message}", failure)
        : new DatastoreException(DatastoreError.Unavailable, "litekube: datastore is stopping");

    public IWatch Watch(WatchRequest request)
    {
        TxnValidator.RequireKey(request.Key);
        ThrowIfStopped();
        if (request.StartRevision < 0)
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, "etcdserver: watch start revision must not be negative");
        }

        return _hub.Watch(request);
    }

    /// <summary>Refuses new work; call before stopping the thread that applies.</summary>
    public void BeginStop() => _stopping.Cancel();

    /// <summary>Stops the compactor, ends every watch and closes the engine. The applying
    /// thread must have stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _compactSignal.Release();
        try
        {
            await _compactor.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _hub.Dispose();
        _engine.Dispose();
    }
}
