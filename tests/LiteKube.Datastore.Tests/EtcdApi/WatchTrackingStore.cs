namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>The real store, with a count of the watches handed out and not yet disposed, to
/// check that the etcd API releases every watch. Everything else goes straight through.</summary>
internal sealed class WatchTrackingStore(IKeyValueStore inner) : IKeyValueStore
{
    private int open;

    public int OpenWatches => Volatile.Read(ref open);

    public IWatch Watch(WatchRequest request)
    {
        var watch = inner.Watch(request);
        Interlocked.Increment(ref open);
        return new TrackedWatch(watch, () => Interlocked.Decrement(ref open));
    }

    public Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default) =>
        inner.RangeAsync(request, cancellationToken);

    public Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default) =>
        inner.PutAsync(request, cancellationToken);

    public Task<DeleteRangeResult> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellationToken = default) =>
        inner.DeleteRangeAsync(request, cancellationToken);

    public Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default) =>
        inner.TxnAsync(request, cancellationToken);

    public Task<CompactResult> CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        inner.CompactAsync(revision, cancellationToken);

    public Task<LeaseGrantResult> LeaseGrantAsync(long id, long ttlSeconds, CancellationToken cancellationToken = default) =>
        inner.LeaseGrantAsync(id, ttlSeconds, cancellationToken);

    public Task<long> LeaseRevokeAsync(long id, CancellationToken cancellationToken = default) =>
        inner.LeaseRevokeAsync(id, cancellationToken);

    public Task<LeaseKeepAliveResult> LeaseKeepAliveAsync(long id, CancellationToken cancellationToken = default) =>
        inner.LeaseKeepAliveAsync(id, cancellationToken);

    public Task<LeaseTimeToLiveResult?> LeaseTimeToLiveAsync(long id, bool includeKeys, CancellationToken cancellationToken = default) =>
        inner.LeaseTimeToLiveAsync(id, includeKeys, cancellationToken);

    public Task<LeaseListResult> LeaseListAsync(CancellationToken cancellationToken = default) =>
        inner.LeaseListAsync(cancellationToken);

    /// <summary>The inner store belongs to the test server, which disposes it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
