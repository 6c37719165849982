using Google.Protobuf;
using EtcdPb = LiteKube.Datastore.Protos.Etcdserverpb;

namespace LiteKube.Datastore.Tests.EtcdApi;

/// <summary>Small builders that keep the tests about behaviour rather than protobuf plumbing.</summary>
internal static class Protos
{
    public static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    public static EtcdPb.PutRequest Put(string key, string value, long lease = 0) =>
        new() { Key = Bytes(key), Value = Bytes(value), Lease = lease };

    public static EtcdPb.RangeRequest Get(string key) => new() { Key = Bytes(key) };

    /// <summary>etcd's prefix range: the key with its last byte incremented.</summary>
    public static EtcdPb.RangeRequest GetPrefix(string prefix) => new() { Key = Bytes(prefix), RangeEnd = PrefixEnd(prefix) };

    public static ByteString PrefixEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }

    public static EtcdPb.RequestOp Op(EtcdPb.PutRequest put) => new() { RequestPut = put };

    public static EtcdPb.RequestOp Op(EtcdPb.RangeRequest range) => new() { RequestRange = range };

    public static EtcdPb.RequestOp Op(EtcdPb.DeleteRangeRequest delete) => new() { RequestDeleteRange = delete };

    public static EtcdPb.RequestOp Op(EtcdPb.TxnRequest txn) => new() { RequestTxn = txn };

    public static string Text(ByteString bytes) => bytes.ToStringUtf8();

    public static IEnumerable<string> Keys(IEnumerable<LiteKube.Datastore.Protos.Mvccpb.KeyValue> kvs) =>
        kvs.Select(kv => kv.Key.ToStringUtf8());
}
