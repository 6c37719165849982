using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>
/// Runs one txn against a view of the store and collects its writes in a batch. Every write of
/// the txn gets the same main revision (the one after the store's) and its own sub revision.
/// Later ops of the txn read the earlier ones' writes through <see cref="_written"/>, since the
/// batch is not visible in the view until it is applied.
/// </summary>
internal sealed class TxnExecution(IStorageView view, IStorageBatch batch, LeaseTable leases, long baseRevision, long compactRevision)
{
    // A key written by this txn -> its new version, or null where it was deleted.
    private readonly SortedDictionary<byte[], KeyValue?> _written = new(ByteArrayComparer.Instance);
    private int _sub;

    public long WriteRevision => baseRevision + 1;

    public bool HasWrites => _sub > 0;

    public List<WatchEvent> Events { get; } = [];

    public long Revision => HasWrites ? WriteRevision : baseRevision;

    public TxnResult Run(TxnRequest txn)
    {
        var succeeded = txn.Compare.All(Holds);
        var ops = succeeded ? txn.Success : txn.Failure;
        var responses = new List<object>(ops.Count);
        foreach (var op in ops)
        {
            responses.Add(op switch
            {
                TxnRangeOp r => Range(r.Request),
                TxnPutOp p => Put(p.Request),
                TxnDeleteOp d => Delete(d.Request),
                TxnNestedOp n => Run(n.Request),
                _ => throw new DatastoreException(DatastoreError.InvalidArgument, "etcdserver: unknown txn operation"),
            });
        }

        return new TxnResult(0, succeeded, responses);
    }

    /// <summary>Stamps the final revision on a result and every response nested in it.</summary>
    public object WithRevision(object response) => response switch
    {
        RangeResult r => r with { Revision = Revision },
        PutResult p => p with { Revision = Revision },
        DeleteRangeResult d => d with { Revision = Revision },
        TxnResult t => t with { Revision = Revision, Responses = t.Responses.Select(WithRevision).ToList() },
        _ => response,
    };

    private bool Holds(Compare compare)
    {
        var range = new KeyRange(compare.Key, compare.RangeEnd);
        var kvs = LiveVersions(range, baseRevision, withValues: compare.Target == CompareTarget.Value);
        if (kvs.Count == 0)
        {
            // As etcd: a missing key compares as all zeroes, but never equals a value.
            return compare.Target != CompareTarget.Value
                && Holds(compare, new KeyValue(compare.Key, [], 0, 0, 0, 0));
        }

        return kvs.All(kv => Holds(compare, kv));
    }

    private static bool Holds(Compare compare, KeyValue kv)
    {
        var order = compare.Target switch
        {
            CompareTarget.Version => kv.Version.CompareTo(compare.Number),
            CompareTarget.Create => kv.CreateRevision.CompareTo(compare.Number),
            CompareTarget.Mod => kv.ModRevision.CompareTo(compare.Number),
            CompareTarget.Lease => kv.Lease.CompareTo(compare.Number),
            CompareTarget.Value => kv.Value.AsSpan().SequenceCompareTo(compare.Value),
            _ => throw new DatastoreException(DatastoreError.InvalidArgument, $"etcdserver: unknown compare target {compare.Target}"),
        };
        return compare.Result switch
        {
            CompareResult.Equal => order == 0,
            CompareResult.NotEqual => order != 0,
            CompareResult.Greater => order > 0,
            CompareResult.Less => order < 0,
            _ => throw new DatastoreException(DatastoreError.InvalidArgument, $"etcdserver: unknown compare result {compare.Result}"),
        };
    }

    private RangeResult Range(RangeRequest request)
    {
        var revision = request.Revision == 0 ? Revision : request.Revision;
        if (revision > Revision)
        {
            throw DatastoreException.FutureRevision();
        }

        if (revision < compactRevision)
        {
            throw DatastoreException.Compacted();
        }

        if (revision <= baseRevision)
        {
            return RangeReader.Read(view, request, revision, 0);
        }

        var all = LiveVersions(new KeyRange(request.Key, request.RangeEnd), revision, withValues: !request.KeysOnly || request.SortTarget == SortTarget.Value);
        return RangeReader.Assemble(all, request, 0);
    }

    /// <summary>Live versions in key order, the view merged with this txn's writes when
    /// <paramref name="revision"/> includes them.</summary>
    private List<KeyValue> LiveVersions(KeyRange range, long revision, bool withValues)
    {
        var stored = new List<KeyValue>();
        VersionScanner.ScanLive(view, range, Math.Min(revision, baseRevision), (kvKey, record) =>
        {
            stored.Add(VersionRecord.Decode(record, withValues).ToKeyValue(KeyLayout.UserKeyOf(kvKey), KeyLayout.RevisionOf(kvKey)));
            return true;
        });
        if (revision <= baseRevision || _written.Count == 0)
        {
            return stored;
        }

        var merged = new SortedDictionary<byte[], KeyValue?>(ByteArrayComparer.Instance);
        foreach (var kv in stored)
        {
            merged[kv.Key] = kv;
        }

        foreach (var (key, kv) in _written.Where(w => range.Contains(w.Key)))
        {
            merged[key] = kv;
        }

        return merged.Values.Where(kv => kv is not null).Select(kv => kv!).ToList();
    }

    private KeyValue? Latest(byte[] key) =>
        _written.TryGetValue(key, out var written) ? written : VersionScanner.Get(view, key, baseRevision);

    private PutResult Put(PutRequest request)
    {
        var previous = Latest(request.Key);
        if ((request.IgnoreValue || request.IgnoreLease) && previous is null)
        {
            throw DatastoreException.KeyNotFound();
        }

        var lease = request.IgnoreLease ? previous!.Lease : request.Lease;
        if (lease != 0 && !leases.Exists(lease))
        {
            throw DatastoreException.LeaseNotFound();
        }

        var value = request.IgnoreValue ? previous!.Value : request.Value;
        var kv = new KeyValue(request.Key, value, previous?.CreateRevision ?? WriteRevision, WriteRevision, (previous?.Version ?? 0) + 1, lease);
        var record = new VersionRecord(false, kv.CreateRevision, kv.Version, lease, _sub, value);
        WriteVersion(request.Key, record);
        if (previous is not null && previous.Lease != 0 && previous.Lease != lease)
        {
            batch.Delete(Column.LeaseKeys, KeyLayout.LeaseKeysKey(previous.Lease, request.Key));
        }

        if (lease != 0)
        {
            batch.Put(Column.LeaseKeys, KeyLayout.LeaseKeysKey(lease, request.Key), []);
        }

        _written[request.Key] = kv;
        Events.Add(new WatchEvent(WatchEventType.Put, kv, previous));
        return new PutResult(0, request.PrevKv ? previous : null);
    }

    private DeleteRangeResult Delete(DeleteRangeRequest request)
    {
        var victims = LiveVersions(new KeyRange(request.Key, request.RangeEnd), WriteRevision, withValues: true);
        foreach (var previous in victims)
        {
            DeleteKey(previous);
        }

        return new DeleteRangeResult(0, victims.Count, request.PrevKv ? victims : []);
    }

    /// <summary>Deletes a live key (also used by lease revocation).</summary>
    public void DeleteKey(KeyValue previous)
    {
        WriteVersion(previous.Key, new VersionRecord(true, 0, 0, 0, _sub, []));
        if (previous.Lease != 0)
        {
            batch.Delete(Column.LeaseKeys, KeyLayout.LeaseKeysKey(previous.Lease, previous.Key));
        }

        _written[previous.Key] = null;
        Events.Add(new WatchEvent(WatchEventType.Delete, new KeyValue(previous.Key, [], 0, WriteRevision, 0, 0), previous));
    }

    private void WriteVersion(byte[] key, VersionRecord record)
    {
        batch.Put(Column.Kv, KeyLayout.KvKey(KeyLayout.KeyPrefix(key), WriteRevision), record.Encode());
        batch.Put(Column.Revisions, KeyLayout.RevisionKey(WriteRevision, _sub), key);
        _sub++;
    }

    /// <summary>The current version of a key, seen through this txn's writes.</summary>
    public KeyValue? Current(byte[] key) => Latest(key);
}
