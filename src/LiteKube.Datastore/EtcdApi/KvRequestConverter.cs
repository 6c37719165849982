using Google.Protobuf;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>
/// Checks etcd requests at the edge the way etcd's v3rpc layer does (empty key, sort options,
/// ignore_value/ignore_lease misuse, txn size) and turns them into store requests. Every
/// failure is a <see cref="DatastoreException"/> with etcd's wording.
/// </summary>
internal static class KvRequestConverter
{
    /// <summary>Refuses a write whose encoding exceeds etcd's request limit. etcd measures the
    /// raft entry; the message size is the same figure less a few bytes of framing.</summary>
    public static void CheckSize(IMessage request)
    {
        if (request.CalculateSize() > EtcdLimits.MaxRequestBytes)
        {
            throw EtcdErrors.RequestTooLarge();
        }
    }

    public static RangeRequest ToRange(EtcdPb.RangeRequest request)
    {
        RequireKey(request.Key);
        if (!Enum.IsDefined(request.SortOrder) || !Enum.IsDefined(request.SortTarget))
        {
            throw EtcdErrors.InvalidSortOption();
        }

        var order = (SortOrder)request.SortOrder;
        // As etcd: the store returns keys in ascending key order, so a sort on another target
        // without an order means ascending.
        if (order == SortOrder.None && request.SortTarget != EtcdPb.RangeRequest.Types.SortTarget.Key)
        {
            order = SortOrder.Ascend;
        }

        return new RangeRequest(ByteStrings.ToArray(request.Key), ByteStrings.ToRangeEnd(request.RangeEnd))
        {
            Revision = request.Revision,
            Limit = request.Limit,
            SortOrder = order,
            SortTarget = (SortTarget)request.SortTarget,
            Serializable = request.Serializable,
            KeysOnly = request.KeysOnly,
            CountOnly = request.CountOnly,
            MinModRevision = request.MinModRevision,
            MaxModRevision = request.MaxModRevision,
            MinCreateRevision = request.MinCreateRevision,
            MaxCreateRevision = request.MaxCreateRevision,
        };
    }

    public static PutRequest ToPut(EtcdPb.PutRequest request)
    {
        RequireKey(request.Key);
        if (request.IgnoreValue && !request.Value.IsEmpty)
        {
            throw EtcdErrors.ValueProvided();
        }

        if (request.IgnoreLease && request.Lease != 0)
        {
            throw EtcdErrors.LeaseProvided();
        }

        return new PutRequest(ByteStrings.ToArray(request.Key), ByteStrings.ToArray(request.Value))
        {
            Lease = request.Lease,
            PrevKv = request.PrevKv,
            IgnoreValue = request.IgnoreValue,
            IgnoreLease = request.IgnoreLease,
        };
    }

    public static DeleteRangeRequest ToDeleteRange(EtcdPb.DeleteRangeRequest request)
    {
        RequireKey(request.Key);
        return new DeleteRangeRequest(ByteStrings.ToArray(request.Key), ByteStrings.ToRangeEnd(request.RangeEnd))
        {
            PrevKv = request.PrevKv,
        };
    }

    public static TxnRequest ToTxn(EtcdPb.TxnRequest request)
    {
        if (request.Compare.Count > EtcdLimits.MaxTxnOps
            || request.Success.Count > EtcdLimits.MaxTxnOps
            || request.Failure.Count > EtcdLimits.MaxTxnOps)
        {
            throw EtcdErrors.TooManyOps();
        }

        var compares = new Compare[request.Compare.Count];
        for (var i = 0; i < compares.Length; i++)
        {
            compares[i] = ToCompare(request.Compare[i]);
        }

        return new TxnRequest(compares, ToOps(request.Success), ToOps(request.Failure));
    }

    private static TxnOp[] ToOps(IReadOnlyList<EtcdPb.RequestOp> ops)
    {
        if (ops.Count == 0)
        {
            return [];
        }

        var result = new TxnOp[ops.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var op = ops[i];
            result[i] = op.RequestCase switch
            {
                EtcdPb.RequestOp.RequestOneofCase.RequestRange => new TxnRangeOp(ToRange(op.RequestRange)),
                EtcdPb.RequestOp.RequestOneofCase.RequestPut => new TxnPutOp(ToPut(op.RequestPut)),
                EtcdPb.RequestOp.RequestOneofCase.RequestDeleteRange => new TxnDeleteOp(ToDeleteRange(op.RequestDeleteRange)),
                EtcdPb.RequestOp.RequestOneofCase.RequestTxn => new TxnNestedOp(ToTxn(op.RequestTxn)),
                _ => throw EtcdErrors.EmptyTxnOp(),
            };
        }

        return result;
    }

    private static Compare ToCompare(EtcdPb.Compare compare)
    {
        if (!Enum.IsDefined(compare.Target))
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, $"litekube: compare target {(int)compare.Target} is not supported");
        }

        if (!Enum.IsDefined(compare.Result))
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, $"litekube: compare result {(int)compare.Result} is not supported");
        }

        // As etcd: the operand is read from the union member that matches the target; any
        // other member counts as zero (or an empty value).
        var target = (CompareTarget)compare.Target;
        var union = compare.TargetUnionCase;
        return new Compare(ByteStrings.ToArray(compare.Key), target, (CompareResult)compare.Result)
        {
            RangeEnd = ByteStrings.ToRangeEnd(compare.RangeEnd),
            Number = target switch
            {
                CompareTarget.Version when union == EtcdPb.Compare.TargetUnionOneofCase.Version => compare.Version,
                CompareTarget.Create when union == EtcdPb.Compare.TargetUnionOneofCase.CreateRevision => compare.CreateRevision,
                CompareTarget.Mod when union == EtcdPb.Compare.TargetUnionOneofCase.ModRevision => compare.ModRevision,
                CompareTarget.Lease when union == EtcdPb.Compare.TargetUnionOneofCase.Lease => compare.Lease,
                _ => 0,
            },
            Value = target == CompareTarget.Value && union == EtcdPb.Compare.TargetUnionOneofCase.Value
                ? ByteStrings.ToArray(compare.Value)
                : [],
        };
    }

    private static void RequireKey(ByteString key)
    {
        if (key.IsEmpty)
        {
            throw DatastoreException.EmptyKey();
        }
    }
}
