using LiteKube.Datastore.EtcdApi;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.External;

/// <summary>Store requests as etcd v3 messages (the inverse of EtcdApi/KvRequestConverter).</summary>
internal static class ProtoRequests
{
    public static EtcdPb.RangeRequest Range(RangeRequest r) => new()
    {
        Key = ByteStrings.Wrap(r.Key),
        RangeEnd = ByteStrings.Wrap(r.RangeEnd ?? []),
        Revision = r.Revision,
        Limit = r.Limit,
        SortOrder = (EtcdPb.RangeRequest.Types.SortOrder)r.SortOrder,
        SortTarget = (EtcdPb.RangeRequest.Types.SortTarget)r.SortTarget,
        Serializable = r.Serializable,
        KeysOnly = r.KeysOnly,
        CountOnly = r.CountOnly,
        MinModRevision = r.MinModRevision,
        MaxModRevision = r.MaxModRevision,
        MinCreateRevision = r.MinCreateRevision,
        MaxCreateRevision = r.MaxCreateRevision,
    };

    public static EtcdPb.PutRequest Put(PutRequest r) => new()
    {
        Key = ByteStrings.Wrap(r.Key),
        Value = ByteStrings.Wrap(r.Value),
        Lease = r.Lease,
        PrevKv = r.PrevKv,
        IgnoreValue = r.IgnoreValue,
        IgnoreLease = r.IgnoreLease,
    };

    public static EtcdPb.DeleteRangeRequest DeleteRange(DeleteRangeRequest r) => new()
    {
        Key = ByteStrings.Wrap(r.Key),
        RangeEnd = ByteStrings.Wrap(r.RangeEnd ?? []),
        PrevKv = r.PrevKv,
    };

    public static EtcdPb.TxnRequest Txn(TxnRequest r)
    {
        var txn = new EtcdPb.TxnRequest();
        foreach (var compare in r.Compare)
        {
            txn.Compare.Add(Compare(compare));
        }
        foreach (var op in r.Success)
        {
            txn.Success.Add(Op(op));
        }
        foreach (var op in r.Failure)
        {
            txn.Failure.Add(Op(op));
        }
        return txn;
    }

    public static EtcdPb.WatchCreateRequest WatchCreate(WatchRequest r, long startRevision)
    {
        var create = new EtcdPb.WatchCreateRequest
        {
            Key = ByteStrings.Wrap(r.Key),
            RangeEnd = ByteStrings.Wrap(r.RangeEnd ?? []),
            StartRevision = startRevision,
            PrevKv = r.PrevKv,
            ProgressNotify = r.ProgressNotify,
        };
        if (r.NoPut)
        {
            create.Filters.Add(EtcdPb.WatchCreateRequest.Types.FilterType.Noput);
        }
        if (r.NoDelete)
        {
            create.Filters.Add(EtcdPb.WatchCreateRequest.Types.FilterType.Nodelete);
        }
        return create;
    }

    private static EtcdPb.RequestOp Op(TxnOp op) => op switch
    {
        TxnRangeOp range => new EtcdPb.RequestOp { RequestRange = Range(range.Request) },
        TxnPutOp put => new EtcdPb.RequestOp { RequestPut = Put(put.Request) },
        TxnDeleteOp delete => new EtcdPb.RequestOp { RequestDeleteRange = DeleteRange(delete.Request) },
        TxnNestedOp nested => new EtcdPb.RequestOp { RequestTxn = Txn(nested.Request) },
        _ => throw new DatastoreException(DatastoreError.InvalidArgument, $"litekube: txn op {op.GetType().Name} is not supported"),
    };

    private static EtcdPb.Compare Compare(Compare c)
    {
        var compare = new EtcdPb.Compare
        {
            Key = ByteStrings.Wrap(c.Key),
            RangeEnd = ByteStrings.Wrap(c.RangeEnd ?? []),
            Target = (EtcdPb.Compare.Types.CompareTarget)c.Target,
            Result = (EtcdPb.Compare.Types.CompareResult)c.Result,
        };
        switch (c.Target)
        {
            case CompareTarget.Version: compare.Version = c.Number; break;
            case CompareTarget.Create: compare.CreateRevision = c.Number; break;
            case CompareTarget.Mod: compare.ModRevision = c.Number; break;
            case CompareTarget.Lease: compare.Lease = c.Number; break;
            case CompareTarget.Value: compare.Value = ByteStrings.Wrap(c.Value); break;
        }
        return compare;
    }
}
