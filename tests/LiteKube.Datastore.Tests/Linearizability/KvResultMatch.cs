using LiteKube.Datastore;

namespace LiteKube.Datastore.Tests.Linearizability;

/// <summary>Compares the result a correct store gives with the one observed; null when they agree,
/// otherwise the first difference in words.</summary>
internal static class KvResultMatch
{
    public static string? Compare(object expected, object observed) => Compare(expected, observed, checkRevision: true);

    private static string? Compare(object expected, object observed, bool checkRevision) => (expected, observed) switch
    {
        (RangeResult e, RangeResult o) => Revision(checkRevision, e.Revision, o.Revision) ?? Range(e, o),
        (PutResult e, PutResult o) => Revision(checkRevision, e.Revision, o.Revision) ?? PrevKv(e.PrevKv, o.PrevKv),
        (DeleteRangeResult e, DeleteRangeResult o) => Revision(checkRevision, e.Revision, o.Revision)
            ?? (e.Deleted != o.Deleted ? $"expected {e.Deleted} keys deleted, observed {o.Deleted}" : Kvs("previous ", e.PrevKvs, o.PrevKvs)),
        (TxnResult e, TxnResult o) => Revision(true, e.Revision, o.Revision) ?? Txn(e, o),
        (LeaseGrantResult e, LeaseGrantResult o) => Revision(true, e.Revision, o.Revision)
            ?? (e.Id != o.Id ? $"expected lease {e.Id}, observed lease {o.Id}" : null),
        (LeaseRevokeResult e, LeaseRevokeResult o) => Revision(true, e.Revision, o.Revision),
        _ => $"expected a {expected.GetType().Name}, observed a {observed.GetType().Name}",
    };

    /// <summary>Revisions of a txn's inner responses are not compared: etcd fills them from the
    /// txn's own header and the txn's revision is already checked.</summary>
    private static string? Txn(TxnResult e, TxnResult o)
    {
        if (e.Succeeded != o.Succeeded)
        {
            return $"expected the {(e.Succeeded ? "then" : "else")} branch, observed the {(o.Succeeded ? "then" : "else")} branch";
        }
        if (e.Responses.Count != o.Responses.Count)
        {
            return $"expected {e.Responses.Count} responses, observed {o.Responses.Count}";
        }
        for (var i = 0; i < e.Responses.Count; i++)
        {
            if (Compare(e.Responses[i], o.Responses[i], checkRevision: false) is { } difference)
            {
                return $"response {i + 1}: {difference}";
            }
        }
        return null;
    }

    private static string? Revision(bool check, long expected, long observed) =>
        check && expected != observed ? $"expected revision {expected}, observed {observed}" : null;

    private static string? Range(RangeResult e, RangeResult o)
    {
        if (e.Count != o.Count || e.More != o.More)
        {
            return $"expected {e.Count} keys ({KvText.Kvs(e.Kvs)}), observed count {o.Count}{(o.More ? " with more" : "")} ({KvText.Kvs(o.Kvs)})";
        }
        return Kvs("", e.Kvs, o.Kvs);
    }

    private static string? PrevKv(KeyValue? e, KeyValue? o) => (e, o) switch
    {
        (null, null) => null,
        (null, { } x) => $"expected no previous value, observed {KvText.Kv(x)}",
        ({ } x, null) => $"expected previous {KvText.Kv(x)}, observed none",
        ({ } x, { } y) => Same(x, y) ? null : $"expected previous {KvText.Kv(x)}, observed {KvText.Kv(y)}",
    };

    private static string? Kvs(string what, IReadOnlyList<KeyValue> e, IReadOnlyList<KeyValue> o)
    {
        if (e.Count != o.Count || e.Zip(o).Any(pair => !Same(pair.First, pair.Second)))
        {
            return $"expected {what}{KvText.Kvs(e)}, observed {what}{KvText.Kvs(o)}";
        }
        return null;
    }

    internal static bool Same(KeyValue a, KeyValue b) =>
        a.Key.AsSpan().SequenceEqual(b.Key) && a.Value.AsSpan().SequenceEqual(b.Value)
        && a.CreateRevision == b.CreateRevision && a.ModRevision == b.ModRevision
        && a.Version == b.Version && a.Lease == b.Lease;
}
