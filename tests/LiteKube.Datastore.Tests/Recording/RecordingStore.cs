using LiteKube.Datastore;
using LiteKube.Datastore.Tests.Linearizability;

namespace LiteKube.Datastore.Tests.Recording;

/// <summary>
/// Wraps any <see cref="IKeyValueStore"/> for one client and records every modelled call
/// (range, put, delete, txn, lease grant and revoke) in a <see cref="HistoryRecorder"/>. The
/// other calls pass through unrecorded: they do not change the state the model tracks. Does not
/// own the inner store.
/// </summary>
public sealed class RecordingStore(IKeyValueStore inner, HistoryRecorder recorder, int client) : IKeyValueStore
{
    public Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default) =>
        recorder.RecordAsync(client, new RangeCall(request), () => inner.RangeAsync(request, cancellationToken), r => r);

    public Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default) =>
        recorder.RecordAsync(client, new PutCall(request), () => inner.PutAsync(request, cancellationToken), r => r);

    public Task<DeleteRangeResult> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellationToken = default) =>
        recorder.RecordAsync(client, new DeleteCall(request), () => inner.DeleteRangeAsync(request, cancellationToken), r => r);

    public Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default) =>
        recorder.RecordAsync(client, new TxnCall(request), () => inner.TxnAsync(request, cancellationToken), r => r);

    public Task<LeaseGrantResult> LeaseGrantAsync(long id, long ttlSeconds, CancellationToken cancellationToken = default) =>
        recorder.RecordAsync(client, new LeaseGrantCall(id, ttlSeconds), () => inner.LeaseGrantAsync(id, ttlSeconds, cancellationToken), r => r);

    public Task<long> LeaseRevokeAsync(long id, CancellationToken cancellationToken = default) =>
        recorder.RecordAsync(client, new LeaseRevokeCall(id), () => inner.LeaseRevokeAsync(id, cancellationToken), r => new LeaseRevokeResult(r));

    public Task<CompactResult> CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        inner.CompactAsync(revision, cancellationToken);

    public IWatch Watch(WatchRequest request) => inner.Watch(request);

    public Task<LeaseKeepAliveResult> LeaseKeepAliveAsync(long id, CancellationToken cancellationToken = default) =>
        inner.LeaseKeepAliveAsync(id, cancellationToken);

    public Task<LeaseTimeToLiveResult?> LeaseTimeToLiveAsync(long id, bool includeKeys, CancellationToken cancellationToken = default) =>
        inner.LeaseTimeToLiveAsync(id, includeKeys, cancellationToken);

    public Task<LeaseListResult> LeaseListAsync(CancellationToken cancellationToken = default) => inner.LeaseListAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
