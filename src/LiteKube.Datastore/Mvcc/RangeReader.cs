using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>Answers a <see cref="RangeRequest"/> from a storage view at a revision, with
/// etcd's rules for count, limit, filters and sorting.</summary>
public static class RangeReader
{
    public static RangeResult Read(IStorageView view, RangeRequest request, long revision, long headerRevision)
    {
        var range = new KeyRange(request.Key, request.RangeEnd);
        if (!NeedsAllVersions(request))
        {
            return ReadInKeyOrder(view, request, range, revision, headerRevision);
        }

        // Values are read even for keys_only when they decide the order; Assemble drops them after.
        var withoutValues = request.KeysOnly && request.SortTarget != SortTarget.Value;
        var all = new List<KeyValue>();
        VersionScanner.ScanLive(view, range, revision, (key, record) =>
        {
            all.Add(Decode(key, record, withoutValues));
            return true;
        });
        return Assemble(all, request, headerRevision);
    }

    /// <summary>Filters and a sort other than ascending by key need every key before the limit applies.</summary>
    private static bool NeedsAllVersions(RangeRequest r) =>
        HasFilters(r) || EffectiveOrder(r) == SortOrder.Descend || (EffectiveOrder(r) == SortOrder.Ascend && r.SortTarget != SortTarget.Key);

    private static RangeResult ReadInKeyOrder(IStorageView view, RangeRequest request, KeyRange range, long revision, long headerRevision)
    {
        var kvs = new List<KeyValue>();
        long count = 0;
        VersionScanner.ScanLive(view, range, revision, (key, record) =>
        {
            count++;
            if (!request.CountOnly && (request.Limit == 0 || kvs.Count < request.Limit))
            {
                kvs.Add(Decode(key, record, request.KeysOnly));
            }

            return true;
        });
        var more = request.Limit > 0 && count > request.Limit && !request.CountOnly;
        return new RangeResult(headerRevision, request.CountOnly ? [] : kvs, more, count);
    }

    /// <summary>Applies filters, sort and limit to every live version in the range, in key order.</summary>
    public static RangeResult Assemble(List<KeyValue> all, RangeRequest request, long headerRevision)
    {
        long count = all.Count;
        if (request.CountOnly)
        {
            return new RangeResult(headerRevision, [], false, count);
        }

        IEnumerable<KeyValue> kvs = all.Where(kv => PassesFilters(kv, request));
        kvs = Sort(kvs, request);
        var list = kvs.ToList();
        var more = false;
        if (request.Limit > 0 && list.Count > request.Limit)
        {
            list.RemoveRange((int)request.Limit, list.Count - (int)request.Limit);
            more = true;
        }

        if (request.KeysOnly)
        {
            list = list.Select(kv => kv with { Value = [] }).ToList();
        }

        return new RangeResult(headerRevision, list, more, count);
    }

    private static SortOrder EffectiveOrder(RangeRequest r) =>
        r.SortOrder == SortOrder.None && r.SortTarget != SortTarget.Key ? SortOrder.Ascend : r.SortOrder;

    private static IEnumerable<KeyValue> Sort(IEnumerable<KeyValue> kvs, RangeRequest r)
    {
        var order = EffectiveOrder(r);
        if (order == SortOrder.None || (order == SortOrder.Ascend && r.SortTarget == SortTarget.Key))
        {
            return kvs;
        }

        Comparison<KeyValue> compare = r.SortTarget switch
        {
            SortTarget.Version => (a, b) => a.Version.CompareTo(b.Version),
            SortTarget.Create => (a, b) => a.CreateRevision.CompareTo(b.CreateRevision),
            SortTarget.Mod => (a, b) => a.ModRevision.CompareTo(b.ModRevision),
            SortTarget.Value => (a, b) => a.Value.AsSpan().SequenceCompareTo(b.Value),
            _ => (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key),
        };
        var list = kvs.ToList();
        // Stable: equal targets keep key order, so results do not change between calls.
        var sorted = list.Select((kv, i) => (kv, i)).ToList();
        sorted.Sort((x, y) =>
        {
            var c = compare(x.kv, y.kv);
            if (order == SortOrder.Descend)
            {
                c = -c;
            }

            return c != 0 ? c : x.i.CompareTo(y.i);
        });
        return sorted.Select(p => p.kv);
    }

    private static bool HasFilters(RangeRequest r) =>
        r.MinModRevision != 0 || r.MaxModRevision != 0 || r.MinCreateRevision != 0 || r.MaxCreateRevision != 0;

    private static bool PassesFilters(KeyValue kv, RangeRequest r) =>
        (r.MinModRevision == 0 || kv.ModRevision >= r.MinModRevision)
        && (r.MaxModRevision == 0 || kv.ModRevision <= r.MaxModRevision)
        && (r.MinCreateRevision == 0 || kv.CreateRevision >= r.MinCreateRevision)
        && (r.MaxCreateRevision == 0 || kv.CreateRevision <= r.MaxCreateRevision);

    private static KeyValue Decode(ReadOnlySpan<byte> kvKey, ReadOnlySpan<byte> record, bool keysOnly) =>
        VersionRecord.Decode(record, withValue: !keysOnly)
            .ToKeyValue(KeyLayout.UserKeyOf(kvKey), KeyLayout.RevisionOf(kvKey));
}
