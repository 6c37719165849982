namespace LiteKube.Datastore;

/// <summary>One version of a key, as etcd's mvccpb.KeyValue.</summary>
public sealed record KeyValue(byte[] Key, byte[] Value, long CreateRevision, long ModRevision, long Version, long Lease);

public enum SortOrder { None = 0, Ascend = 1, Descend = 2 }

public enum SortTarget { Key = 0, Version = 1, Create = 2, Mod = 3, Value = 4 }

public sealed record RangeRequest(byte[] Key, byte[]? RangeEnd = null)
{
    /// <summary>0 = the current revision.</summary>
    public long Revision { get; init; }
    /// <summary>0 = no limit.</summary>
    public long Limit { get; init; }
    public SortOrder SortOrder { get; init; }
    public SortTarget SortTarget { get; init; }
    /// <summary>Serve from local state without a linearizability check (replicated stores).</summary>
    public bool Serializable { get; init; }
    public bool KeysOnly { get; init; }
    public bool CountOnly { get; init; }
    /// <summary>Filters; 0 = no filter.</summary>
    public long MinModRevision { get; init; }
    public long MaxModRevision { get; init; }
    public long MinCreateRevision { get; init; }
    public long MaxCreateRevision { get; init; }
}

/// <summary>As etcd: <see cref="Count"/> is the number of keys in the range at the revision,
/// ignoring Limit and the min/max filters; <see cref="More"/> says Limit cut the result.</summary>
public sealed record RangeResult(long Revision, IReadOnlyList<KeyValue> Kvs, bool More, long Count);

public sealed record PutRequest(byte[] Key, byte[] Value)
{
    public long Lease { get; init; }
    public bool PrevKv { get; init; }
    /// <summary>Keep the current value; the key must exist.</summary>
    public bool IgnoreValue { get; init; }
    /// <summary>Keep the current lease; the key must exist.</summary>
    public bool IgnoreLease { get; init; }
}

public sealed record PutResult(long Revision, KeyValue? PrevKv);

public sealed record DeleteRangeRequest(byte[] Key, byte[]? RangeEnd = null)
{
    public bool PrevKv { get; init; }
}

public sealed record DeleteRangeResult(long Revision, long Deleted, IReadOnlyList<KeyValue> PrevKvs);

public enum CompareTarget { Version = 0, Create = 1, Mod = 2, Value = 3, Lease = 4 }

public enum CompareResult { Equal = 0, Greater = 1, Less = 2, NotEqual = 3 }

/// <summary>Compares every key in [Key, RangeEnd) (or the single Key) with the target; the
/// compare holds only if it holds for every key. A missing key has version, create and mod
/// revision 0 and lease 0; a value compare on a missing key fails.</summary>
public sealed record Compare(byte[] Key, CompareTarget Target, CompareResult Result)
{
    public byte[]? RangeEnd { get; init; }
    /// <summary>For Version, Create, Mod and Lease targets.</summary>
    public long Number { get; init; }
    /// <summary>For the Value target.</summary>
    public byte[] Value { get; init; } = [];
}

public abstract record TxnOp;
public sealed record TxnRangeOp(RangeRequest Request) : TxnOp;
public sealed record TxnPutOp(PutRequest Request) : TxnOp;
public sealed record TxnDeleteOp(DeleteRangeRequest Request) : TxnOp;
public sealed record TxnNestedOp(TxnRequest Request) : TxnOp;

public sealed record TxnRequest(IReadOnlyList<Compare> Compare, IReadOnlyList<TxnOp> Success, IReadOnlyList<TxnOp> Failure);

/// <summary>One response per op of the branch taken; each is a RangeResult, PutResult,
/// DeleteRangeResult or TxnResult.</summary>
public sealed record TxnResult(long Revision, bool Succeeded, IReadOnlyList<object> Responses);

public sealed record CompactResult(long Revision);

public sealed record WatchRequest(byte[] Key, byte[]? RangeEnd = null)
{
    /// <summary>0 = from the revision after the current one.</summary>
    public long StartRevision { get; init; }
    public bool PrevKv { get; init; }
    public bool NoPut { get; init; }
    public bool NoDelete { get; init; }
    /// <summary>Send an empty batch after a quiet period (etcd: progress_notify).</summary>
    public bool ProgressNotify { get; init; }
}

public enum WatchEventType { Put = 0, Delete = 1 }

/// <summary>For a delete, Kv holds the key and the deletion's ModRevision, with empty value.</summary>
public sealed record WatchEvent(WatchEventType Type, KeyValue Kv, KeyValue? PrevKv);

/// <summary>
/// Events in revision order. <see cref="Revision"/> is the store revision the batch was cut at
/// (&gt;= the last event's ModRevision). An empty batch that is not canceled is a progress
/// notification. A canceled batch ends the watch; <see cref="CompactRevision"/> is set when the
/// cause was compaction (the start revision is no longer available).
/// </summary>
public sealed record WatchBatch(long Revision, IReadOnlyList<WatchEvent> Events)
{
    public bool Canceled { get; init; }
    public long CompactRevision { get; init; }
    public string? CancelReason { get; init; }
}

public sealed record LeaseGrantResult(long Revision, long Id, long Ttl);

public sealed record LeaseKeepAliveResult(long Revision, long Id, long Ttl);

public sealed record LeaseTimeToLiveResult(long Revision, long Id, long Ttl, long GrantedTtl, IReadOnlyList<byte[]> Keys);

public sealed record LeaseListResult(long Revision, IReadOnlyList<long> Ids);
