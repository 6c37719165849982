using Grpc.Core;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>etcd's KV service over <see cref="IKeyValueStore"/>.</summary>
internal sealed class KvService(IKeyValueStore store, ResponseHeaderFactory headers, KvResponseConverter responses)
    : EtcdPb.KV.KVBase
{
    public override async Task<EtcdPb.RangeResponse> Range(EtcdPb.RangeRequest request, ServerCallContext context)
    {
        var result = await store.RangeAsync(KvRequestConverter.ToRange(request), context.CancellationToken).ConfigureAwait(false);
        return responses.ToProto(result);
    }

    public override async Task<EtcdPb.PutResponse> Put(EtcdPb.PutRequest request, ServerCallContext context)
    {
        KvRequestConverter.CheckSize(request);
        var result = await store.PutAsync(KvRequestConverter.ToPut(request), context.CancellationToken).ConfigureAwait(false);
        return responses.ToProto(result);
    }

    public override async Task<EtcdPb.DeleteRangeResponse> DeleteRange(EtcdPb.DeleteRangeRequest request, ServerCallContext context)
    {
        KvRequestConverter.CheckSize(request);
        var result = await store.DeleteRangeAsync(KvRequestConverter.ToDeleteRange(request), context.CancellationToken).ConfigureAwait(false);
        return responses.ToProto(result);
    }

    public override async Task<EtcdPb.TxnResponse> Txn(EtcdPb.TxnRequest request, ServerCallContext context)
    {
        KvRequestConverter.CheckSize(request);
        var result = await store.TxnAsync(KvRequestConverter.ToTxn(request), context.CancellationToken).ConfigureAwait(false);
        return responses.ToProto(result);
    }

    /// <summary>physical is accepted as it is: the store's compaction is complete when the call
    /// returns, which is what physical asks for.</summary>
    public override async Task<EtcdPb.CompactionResponse> Compact(EtcdPb.CompactionRequest request, ServerCallContext context)
    {
        var result = await store.CompactAsync(request.Revision, context.CancellationToken).ConfigureAwait(false);
        return new EtcdPb.CompactionResponse { Header = headers.Create(result.Revision) };
    }
}
