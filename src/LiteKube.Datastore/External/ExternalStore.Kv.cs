namespace LiteKube.Datastore.External;

/// <summary>Ranges, writes, txns and compaction: each one etcd call.</summary>
public sealed partial class ExternalStore
{
    public async Task<RangeResult> RangeAsync(RangeRequest request, CancellationToken cancellationToken = default)
    {
        var message = ProtoRequests.Range(request);
        var response = await CallAsync((channel, call) => Kv(channel).RangeAsync(message, call).ResponseAsync, write: false, cancellationToken);
        return Seen(ProtoResults.Range(response), response.Header.Revision);
    }

    public async Task<PutResult> PutAsync(PutRequest request, CancellationToken cancellationToken = default)
    {
        var message = ProtoRequests.Put(request);
        var response = await CallAsync((channel, call) => Kv(channel).PutAsync(message, call).ResponseAsync, write: true, cancellationToken);
        return Seen(ProtoResults.Put(response), response.Header.Revision);
    }

    public async Task<DeleteRangeResult> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken cancellationToken = default)
    {
        var message = ProtoRequests.DeleteRange(request);
        var response = await CallAsync((channel, call) => Kv(channel).DeleteRangeAsync(message, call).ResponseAsync, write: true, cancellationToken);
        return Seen(ProtoResults.DeleteRange(response), response.Header.Revision);
    }

    /// <summary>A txn without writes is a read and fails over like one.</summary>
    public async Task<TxnResult> TxnAsync(TxnRequest request, CancellationToken cancellationToken = default)
    {
        var message = ProtoRequests.Txn(request);
        var response = await CallAsync((channel, call) => Kv(channel).TxnAsync(message, call).ResponseAsync, write: Writes(request), cancellationToken);
        return Seen(ProtoResults.Txn(response), response.Header.Revision);
    }

    /// <summary>Physical: answers once etcd has removed the old revisions, so that reads of them
    /// fail from then on, as with the embedded store.</summary>
    public async Task<CompactResult> CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        var message = new Protos.Etcdserverpb.CompactionRequest { Revision = revision, Physical = true };
        var response = await CallAsync((channel, call) => Kv(channel).CompactAsync(message, call).ResponseAsync, write: true, cancellationToken);
        return Seen(new CompactResult(response.Header.Revision), response.Header.Revision);
    }

    private static bool Writes(TxnRequest request) =>
        request.Success.Concat(request.Failure).Any(op => op switch
        {
            TxnRangeOp => false,
            TxnNestedOp nested => Writes(nested.Request),
            _ => true,
        });
}
