using LiteKube.Datastore.EtcdApi;
using MvccPb = LiteKube.Datastore.Protos.Mvccpb;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.External;

/// <summary>etcd v3 responses as store results (the inverse of EtcdApi/KvResponseConverter).
/// The parser gives every bytes field its own array, so results share them without copying.</summary>
internal static class ProtoResults
{
    public static KeyValue Kv(MvccPb.KeyValue kv) =>
        new(ByteStrings.ToArray(kv.Key), ByteStrings.ToArray(kv.Value), kv.CreateRevision, kv.ModRevision, kv.Version, kv.Lease);

    public static RangeResult Range(EtcdPb.RangeResponse r, long txnRevision = 0) =>
        new(Revision(r.Header, txnRevision), r.Kvs.Select(Kv).ToArray(), r.More, r.Count);

    public static PutResult Put(EtcdPb.PutResponse r, long txnRevision = 0) =>
        new(Revision(r.Header, txnRevision), r.PrevKv is null ? null : Kv(r.PrevKv));

    public static DeleteRangeResult DeleteRange(EtcdPb.DeleteRangeResponse r, long txnRevision = 0) =>
        new(Revision(r.Header, txnRevision), r.Deleted, r.PrevKvs.Select(Kv).ToArray());

    public static TxnResult Txn(EtcdPb.TxnResponse r, long txnRevision = 0)
    {
        var revision = Revision(r.Header, txnRevision);
        return new(revision, r.Succeeded, r.Responses.Select(op => Op(op, revision)).ToArray());
    }

    public static WatchEvent Event(MvccPb.Event e) => new(
        e.Type == MvccPb.Event.Types.EventType.Put ? WatchEventType.Put : WatchEventType.Delete,
        Kv(e.Kv),
        e.PrevKv is null ? null : Kv(e.PrevKv));

    /// <summary>etcd leaves the headers of responses nested in a txn partly empty; they take
    /// the txn's revision, as the store contract says.</summary>
    private static object Op(EtcdPb.ResponseOp op, long txnRevision) => op.ResponseCase switch
    {
        EtcdPb.ResponseOp.ResponseOneofCase.ResponseRange => Range(op.ResponseRange, txnRevision),
        EtcdPb.ResponseOp.ResponseOneofCase.ResponsePut => Put(op.ResponsePut, txnRevision),
        EtcdPb.ResponseOp.ResponseOneofCase.ResponseDeleteRange => DeleteRange(op.ResponseDeleteRange, txnRevision),
        EtcdPb.ResponseOp.ResponseOneofCase.ResponseTxn => Txn(op.ResponseTxn, txnRevision),
        _ => throw new DatastoreException(DatastoreError.Unavailable, $"external etcd: a txn answered with an unknown response {op.ResponseCase}"),
    };

    private static long Revision(EtcdPb.ResponseHeader? header, long txnRevision) =>
        header is { Revision: > 0 } ? header.Revision : txnRevision;
}
