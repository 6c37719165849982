using MvccPb = LiteKube.Datastore.Protos.Mvccpb;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.EtcdApi;

/// <summary>Turns store results into etcd responses, sharing the store's (immutable) byte arrays.</summary>
internal sealed class KvResponseConverter(ResponseHeaderFactory headers)
{
    public static MvccPb.KeyValue ToProto(KeyValue kv) => new()
    {
        Key = ByteStrings.Wrap(kv.Key),
        Value = ByteStrings.Wrap(kv.Value),
        CreateRevision = kv.CreateRevision,
        ModRevision = kv.ModRevision,
        Version = kv.Version,
        Lease = kv.Lease,
    };

    public static MvccPb.Event ToProto(WatchEvent e)
    {
        var result = new MvccPb.Event
        {
            Type = e.Type == WatchEventType.Put ? MvccPb.Event.Types.EventType.Put : MvccPb.Event.Types.EventType.Delete,
            Kv = ToProto(e.Kv),
        };
        if (e.PrevKv is not null)
        {
            result.PrevKv = ToProto(e.PrevKv);
        }

        return result;
    }

    public EtcdPb.RangeResponse ToProto(RangeResult result)
    {
        var response = new EtcdPb.RangeResponse
        {
            Header = headers.Create(result.Revision),
            More = result.More,
            Count = result.Count,
        };
        var kvs = result.Kvs;
        response.Kvs.Capacity = kvs.Count;
        for (var i = 0; i < kvs.Count; i++)
        {
            response.Kvs.Add(ToProto(kvs[i]));
        }

        return response;
    }

    public EtcdPb.PutResponse ToProto(PutResult result)
    {
        var response = new EtcdPb.PutResponse { Header = headers.Create(result.Revision) };
        if (result.PrevKv is not null)
        {
            response.PrevKv = ToProto(result.PrevKv);
        }

        return response;
    }

    public EtcdPb.DeleteRangeResponse ToProto(DeleteRangeResult result)
    {
        var response = new EtcdPb.DeleteRangeResponse
        {
            Header = headers.Create(result.Revision),
            Deleted = result.Deleted,
        };
        var prev = result.PrevKvs;
        response.PrevKvs.Capacity = prev.Count;
        for (var i = 0; i < prev.Count; i++)
        {
            response.PrevKvs.Add(ToProto(prev[i]));
        }

        return response;
    }

    public EtcdPb.TxnResponse ToProto(TxnResult result)
    {
        var response = new EtcdPb.TxnResponse
        {
            Header = headers.Create(result.Revision),
            Succeeded = result.Succeeded,
        };
        foreach (var item in result.Responses)
        {
            response.Responses.Add(item switch
            {
                RangeResult range => new EtcdPb.ResponseOp { ResponseRange = ToProto(range) },
                PutResult put => new EtcdPb.ResponseOp { ResponsePut = ToProto(put) },
                DeleteRangeResult delete => new EtcdPb.ResponseOp { ResponseDeleteRange = ToProto(delete) },
                TxnResult txn => new EtcdPb.ResponseOp { ResponseTxn = ToProto(txn) },
                _ => throw new InvalidOperationException($"The store returned a txn response of unknown type {item.GetType().Name}."),
            });
        }

        return response;
    }
}
