using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>What applying one command did.</summary>
public sealed record Applied(object Response, IReadOnlyList<WatchEvent> Events, long Revision);

/// <summary>
/// The MVCC store as a deterministic state machine over a storage engine: <see cref="Apply"/>
/// takes one command, writes its effect as one atomic batch (not yet synced) and returns the
/// response and the watch events. A rejected command throws <see cref="DatastoreException"/>
/// and changes nothing. Not thread-safe: one writer applies commands in order; readers use
/// engine views bounded by a revision the owner has published.
/// </summary>
public sealed class MvccStateMachine
{
    private readonly IStorageEngine _engine;

    public MvccStateMachine(IStorageEngine engine, TimeProvider time)
    {
        _engine = engine;
        Leases = new LeaseTable(time);
        using var view = engine.OpenView();
        // An empty store is at revision 1, as etcd's is.
        Revision = Math.Max(1, ReadMeta(view, KeyLayout.MetaRevision));
        CompactRevision = ReadMeta(view, KeyLayout.MetaCompactScheduled);
        CompactFinished = ReadMeta(view, KeyLayout.MetaCompactFinished);
        using var it = view.Iterate(Column.Leases);
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            Leases.Add(KeyLayout.ReadInt64(it.Key), KeyLayout.ReadInt64(it.Value));
        }
    }

    /// <summary>The revision of the last applied command (possibly not yet synced).</summary>
    public long Revision { get; private set; }

    /// <summary>Reads below this revision fail; 0 when never compacted.</summary>
    public long CompactRevision { get; private set; }

    /// <summary>The compaction revision whose old versions are gone from disk.</summary>
    public long CompactFinished { get; private set; }

    public LeaseTable Leases { get; }

    public Applied Apply(Command command) => command switch
    {
        TxnCommand t => ApplyTxn(t.Txn),
        LeaseGrantCommand g => ApplyLeaseGrant(g),
        LeaseRevokeCommand r => ApplyLeaseRevoke(r.Id),
        CompactCommand c => ApplyCompact(c.Revision),
        _ => throw new DatastoreException(DatastoreError.InvalidArgument, $"unknown command {command.GetType().Name}"),
    };

    /// <summary>Makes every applied command durable.</summary>
    public void Sync()
    {
        using var batch = _engine.CreateBatch();
        batch.Put(Column.Meta, KeyLayout.MetaRevision, KeyLayout.Int64(Revision));
        _engine.Write(batch, sync: true);
    }

    /// <summary>Records that compaction up to <paramref name="revision"/> is done on disk.</summary>
    public void MarkCompactFinished(long revision)
    {
        using var batch = _engine.CreateBatch();
        batch.Put(Column.Meta, KeyLayout.MetaCompactFinished, KeyLayout.Int64(revision));
        _engine.Write(batch, sync: false);
        CompactFinished = revision;
    }

    private Applied ApplyTxn(TxnRequest txn)
    {
        TxnValidator.Validate(txn);
        using var view = _engine.OpenView();
        using var batch = _engine.CreateBatch();
        var execution = new TxnExecution(view, batch, Leases, Revision, CompactRevision);
        var result = execution.WithRevision(execution.Run(txn));
        Commit(batch, execution);
        return new Applied(result, execution.Events, Revision);
    }

    private Applied ApplyLeaseGrant(LeaseGrantCommand grant)
    {
        if (grant.Id <= 0)
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, "etcdserver: lease ID must be positive");
        }

        if (Leases.Exists(grant.Id))
        {
            throw new DatastoreException(DatastoreError.LeaseExists, "etcdserver: lease already exists");
        }

        if (grant.Ttl > LeaseTable.MaxTtlSeconds)
        {
            throw new DatastoreException(DatastoreError.LeaseTtlTooLarge, "etcdserver: too large lease TTL");
        }

        var ttl = Math.Max(grant.Ttl, LeaseTable.MinTtlSeconds);
        using var batch = _engine.CreateBatch();
        batch.Put(Column.Leases, KeyLayout.LeaseKey(grant.Id), KeyLayout.Int64(ttl));
        _engine.Write(batch, sync: false);
        Leases.Add(grant.Id, ttl);
        return new Applied(new LeaseGrantResult(Revision, grant.Id, ttl), [], Revision);
    }

    private Applied ApplyLeaseRevoke(long id)
    {
        if (!Leases.Exists(id))
        {
            throw DatastoreException.LeaseNotFound();
        }

        using var view = _engine.OpenView();
        using var batch = _engine.CreateBatch();
        var execution = new TxnExecution(view, batch, Leases, Revision, CompactRevision);
        var prefix = KeyLayout.LeaseKey(id);
        using (var it = view.Iterate(Column.LeaseKeys, prefix, KeyLayout.Int64(id + 1)))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                var key = it.Key[8..].ToArray();
                if (execution.Current(key) is { } kv && kv.Lease == id)
                {
                    execution.DeleteKey(kv);
                }
            }
        }

        batch.DeleteRange(Column.LeaseKeys, prefix, KeyLayout.Int64(id + 1));
        batch.Delete(Column.Leases, prefix);
        Commit(batch, execution);
        Leases.Remove(id);
        return new Applied(Revision, execution.Events, Revision);
    }

    private Applied ApplyCompact(long revision)
    {
        if (revision > Revision)
        {
            throw DatastoreException.FutureRevision();
        }

        if (revision <= CompactRevision)
        {
            throw DatastoreException.Compacted();
        }

        using var batch = _engine.CreateBatch();
        batch.Put(Column.Meta, KeyLayout.MetaCompactScheduled, KeyLayout.Int64(revision));
        _engine.Write(batch, sync: false);
        CompactRevision = revision;
        return new Applied(new CompactResult(Revision), [], Revision);
    }

    private void Commit(IStorageBatch batch, TxnExecution execution)
    {
        if (execution.HasWrites)
        {
            batch.Put(Column.Meta, KeyLayout.MetaRevision, KeyLayout.Int64(execution.WriteRevision));
        }

        if (batch.Count > 0)
        {
            _engine.Write(batch, sync: false);
        }

        Revision = execution.Revision;
    }

    private static long ReadMeta(IStorageView view, byte[] key) =>
        view.Get(Column.Meta, key) is { } value ? KeyLayout.ReadInt64(value) : 0;
}
