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
    private readonly AppliedState _state;
    private readonly LocalStoreOptions _options;

    private LocalStore(IStorageEngine engine, LocalStoreOptions options)
    {
        _options = options;
        _state = new AppliedState(engine, options.Time, options.ProgressNotifyInterval);
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "litekube-mvcc-writer" };
        _writer.Start();
        _leaseTimer = options.Time.CreateTimer(_ => RevokeExpiredLeases(), null, options.LeaseCheckInterval, options.LeaseCheckInterval);
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

    public Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_state.Range(request));

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

    public IWatch Watch(WatchRequest request) => _state.Watch(request);

    public async ValueTask DisposeAsync()
    {
        if (_state.IsStopping)
        {
            return;
        }

        _state.BeginStop();
        _leaseTimer.Dispose();
        _commands.Writer.TryComplete();
        _writer.Join();
        await _state.DisposeAsync().ConfigureAwait(false);
    }
}
