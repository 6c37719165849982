using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// The embedded single-node datastore: an <see cref="MvccStateMachine"/> on RocksDB (or memory)
/// driven by one writer thread. Concurrent writes are applied in arrival order and made durable
/// together by one sync (group commit); only then are they published to readers and watchers
/// and answered. Reads run on the caller's thread against a consistent view at the published
/// revision, so they never see a write that is not yet durable.
/// </summary>
public sealed partial class LocalStore : IKeyValueStore, IDatastoreMaintenance
{
    private readonly IStorageEngine _engine;
    private readonly MvccStateMachine _machine;
    private readonly WatchHub _hub;
    private readonly LocalStoreOptions _options;
    private readonly CancellationTokenSource _stopping = new();

    private LocalStore(IStorageEngine engine, LocalStoreOptions options)
    {
        _engine = engine;
        _options = options;
        _machine = new MvccStateMachine(engine, options.Time);
        _hub = new WatchHub(engine, _machine.Revision, () => Volatile.Read(ref _compactRevision), options.Time, options.ProgressNotifyInterval);
        _compactRevision = _machine.CompactRevision;
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "litekube-mvcc-writer" };
        _writer.Start();
        _leaseTimer = options.Time.CreateTimer(_ => RevokeExpiredLeases(), null, options.LeaseCheckInterval, options.LeaseCheckInterval);
        _compactor = Task.Run(CompactLoopAsync);
        if (_machine.CompactFinished < _machine.CompactRevision)
        {
            _compactSignal.Release();
        }
    }

    public static LocalStore CreateInMemory(LocalStoreOptions? options = null) =>
        new(new InMemoryEngine(), options ?? new LocalStoreOptions());

    /// <summary>Opens (or creates) the store in <paramref name="directory"/>. Throws
    /// <see cref="DatastoreException"/> (Unavailable) when the directory is in use by another
    /// process, corrupt, or cannot be written.</summary>
    public static LocalStore OpenRocksDb(string directory, LocalStoreOptions? options = null)
    {
        var engine = RocksDbEngine.Open(directory);
        try
        {
            return new LocalStore(engine, options ?? new LocalStoreOptions());
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentException)
        {
            engine.Dispose();
            throw new DatastoreException(DatastoreError.Unavailable, $"data directory {directory} holds corrupt datastore metadata: {e.Message}", e);
        }
    }

    // The compaction revision readers check; written by the writer after the compact command is durable.
    private long _compactRevision;

    public Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default)
    {
        TxnValidator.RequireKey(request.Key);
        ThrowIfStopped();
        var published = _hub.PublishedRevision;
        var revision = request.Revision <= 0 ? published : request.Revision;
        if (revision > published)
        {
            throw DatastoreException.FutureRevision();
        }

        using var view = _engine.OpenView();
        // Checked after the view is open: a compaction scheduled later cannot remove what it sees.
        if (revision < Volatile.Read(ref _compactRevision))
        {
            throw DatastoreException.Compacted();
        }

        return Task.FromResult(RangeReader.Read(view, request, revision, published));
    }

    public async Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default)
    {
        var result = (TxnResult)await SubmitAsync(new TxnCommand(new TxnRequest([], [new TxnPutOp(request)], [])), cancellationToken).ConfigureAwait(false);
        return (PutResult)result.Responses[0];
    }

    public async Task<DeleteRangeResult> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellationToken = default)
    {
        var result = (TxnResult)await SubmitAsync(new TxnCommand(new TxnRequest([], [new TxnDeleteOp(request)], [])), cancellationToken).ConfigureAwait(false);
        return (DeleteRangeResult)result.Responses[0];
    }

    public async Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default)
    {
        // Validated here as well as in the writer so that bad requests never queue.
        TxnValidator.Validate(request);
        return (TxnResult)await SubmitAsync(new TxnCommand(request), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CompactResult> CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        (CompactResult)await SubmitAsync(new CompactCommand(revision), cancellationToken).ConfigureAwait(false);

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

    private void ThrowIfStopped()
    {
        if (_stopping.IsCancellationRequested || _failure is not null)
        {
            throw Unavailable();
        }
    }

    private DatastoreException Unavailable() => _failure is { } failure
        ? new DatastoreException(DatastoreError.Unavailable, $"litekube: datastore failed: {failure.Message}", failure)
        : new DatastoreException(DatastoreError.Unavailable, "litekube: datastore is stopping");

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _leaseTimer.Dispose();
        _commands.Writer.TryComplete();
        _writer.Join();
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
