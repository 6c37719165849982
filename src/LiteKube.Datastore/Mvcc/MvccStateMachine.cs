using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Mvcc;

/// <summary>What applying one command did.</summary>
public sealed record Applied(object Response, IReadOnlyList<WatchEvent> Events, long Revision);

/// <summary>Where a command sits in the replicated log, recorded in the same batch as its
/// effects: <see cref="Index"/> tells a restarted member which entries it still has to apply,
/// (<see cref="Proposer"/>, <see cref="Sequence"/>) lets every member skip a proposal the log
/// carries twice. Proposer 0 means "no proposer" (an entry nobody waits for).</summary>
public readonly record struct LogPosition(ulong Index, ulong Proposer, ulong Sequence);

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
    private readonly Dictionary<ulong, ulong> _sequences = [];
    // The log position of the command being applied; stamped into its batch.
    private LogPosition? _position;

    public MvccStateMachine(IStorageEngine engine, TimeProvider time)
    {
        _engine = engine;
        Leases = new LeaseTable(time);
        Load();
    }

    /// <summary>The last Raft index whose effect <paramref name="engine"/> holds (0: none), read
    /// without loading the state: a new Raft log over existing data must start after it.</summary>
    public static ulong ReadAppliedIndex(IStorageEngine engine)
    {
        using var view = engine.OpenView();
        return (ulong)ReadMeta(view, KeyLayout.MetaAppliedIndex);
    }

    /// <summary>Reads the machine's state from the engine again (after a snapshot replaced it).</summary>
    public void Load()
    {
        using var view = _engine.OpenView();
        // An empty store is at revision 1, as etcd's is.
        Revision = Math.Max(1, ReadMeta(view, KeyLayout.MetaRevision));
        CompactRevision = ReadMeta(view, KeyLayout.MetaCompactScheduled);
        CompactFinished = ReadMeta(view, KeyLayout.MetaCompactFinished);
        AppliedIndex = (ulong)ReadMeta(view, KeyLayout.MetaAppliedIndex);
        Leases.Clear();
        using (var it = view.Iterate(Column.Leases))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                Leases.Add(KeyLayout.ReadInt64(it.Key), KeyLayout.ReadInt64(it.Value));
            }
        }

        _sequences.Clear();
        using var sequences = view.Iterate(Column.Meta, KeyLayout.MetaProposerPrefix, KeyLayout.MetaProposerEnd);
        for (sequences.SeekToFirst(); sequences.Valid; sequences.Next())
        {
            _sequences[(ulong)KeyLayout.ReadInt64(sequences.Key[KeyLayout.MetaProposerPrefix.Length..])] = (ulong)KeyLayout.ReadInt64(sequences.Value);
        }
    }

    /// <summary>The last replicated log index whose command was applied (0: none, or a store
    /// that is not replicated).</summary>
    public ulong AppliedIndex { get; private set; }

    /// <summary>The highest sequence applied from <paramref name="proposer"/> (0: none).</summary>
    public ulong LastSequence(ulong proposer) => _sequences.GetValueOrDefault(proposer);

    /// <summary>The revision of the last applied command (possibly not yet synced).</summary>
    public long Revision { get; private set; }

    /// <summary>Reads below this revision fail; 0 when never compacted.</summary>
    public long CompactRevision { get; private set; }

    /// <summary>The compaction revision whose old versions are gone from disk.</summary>
    public long CompactFinished { get; private set; }

    public LeaseTable Leases { get; }

    /// <summary>Applies <paramref name="command"/>; with a <paramref name="position"/>, records
    /// it in the same batch (a rejected command records nothing: call <see cref="RecordPosition"/>).</summary>
    public Applied Apply(Command command, LogPosition? position = null)
    {
        _position = position;
        try
        {
            var applied = command switch
            {
                TxnCommand t => ApplyTxn(t.Txn),
                LeaseGrantCommand g => ApplyLeaseGrant(g),
                LeaseRevokeCommand r => ApplyLeaseRevoke(r.Id),
                LeaseKeepAliveCommand k => ApplyLeaseKeepAlive(k.Id),
                CompactCommand c => ApplyCompact(c.Revision),
                MemberUpdateCommand m => ApplyMemberUpdate(m),
                _ => throw new DatastoreException(DatastoreError.InvalidArgument, $"unknown command {command.GetType().Name}"),
            };
            return applied;
        }
        finally
        {
            _position = null;
        }
    }

    /// <summary>Records that the entry at <paramref name="position"/> was applied without effect
    /// (rejected, or a duplicate), so that it is neither re-applied nor taken for new later.</summary>
    public void RecordPosition(LogPosition position)
    {
        using var batch = _engine.CreateBatch();
        _position = position;
        try
        {
            Write(batch);
        }
        finally
        {
            _position = null;
        }
    }

    /// <summary>Makes every applied command durable.</summary>
    public void Sync()
    {
        using var batch = _engine.CreateBatch();
        batch.Put(Column.Meta, KeyLayout.MetaRevision, KeyLayout.Int64(Revision));
        if (AppliedIndex > 0)
        {
            batch.Put(Column.Meta, KeyLayout.MetaAppliedIndex, KeyLayout.Int64((long)AppliedIndex));
        }

        _engine.Write(batch, sync: true);
    }

    /// <summary>Writes a command's batch, stamped with its log position (if any).</summary>
    private void Write(IStorageBatch batch)
    {
        if (_position is { } position)
        {
            batch.Put(Column.Meta, KeyLayout.MetaAppliedIndex, KeyLayout.Int64((long)position.Index));
            if (position.Proposer != 0)
            {
                batch.Put(Column.Meta, KeyLayout.MetaProposerKey(position.Proposer), KeyLayout.Int64((long)position.Sequence));
            }
        }

        if (batch.Count > 0)
        {
            _engine.Write(batch, sync: false);
        }

        if (_position is { } done)
        {
            AppliedIndex = done.Index;
            if (done.Proposer != 0)
            {
                _sequences[done.Proposer] = Math.Max(done.Sequence, _sequences.GetValueOrDefault(done.Proposer));
            }
        }
    }

    /// <summary>Every member ever recorded, removed ones included (their ids stay taken).</summary>
    public IReadOnlyList<MemberRecord> Members()
    {
        var members = new List<MemberRecord>();
        using var view = _engine.OpenView();
        using var it = view.Iterate(Column.Meta, KeyLayout.MetaMemberPrefix, KeyLayout.MetaMemberEnd);
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var id = (ulong)KeyLayout.ReadInt64(it.Key[KeyLayout.MetaMemberPrefix.Length..]);
            members.Add(MemberCodec.Decode(id, it.Value));
        }

        return members;
    }

    private Applied ApplyMemberUpdate(MemberUpdateCommand update)
    {
        if (update.MemberId == 0)
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, "litekube: member id 0 is not valid");
        }

        using var view = _engine.OpenView();
        if (view.Get(Column.Meta, KeyLayout.MetaMemberKey(update.MemberId)) is { } old && MemberCodec.Decode(update.MemberId, old).Removed)
        {
            throw new DatastoreException(DatastoreError.InvalidArgument, $"litekube: member id {update.MemberId:x} was removed and cannot be used again");
        }

        using var batch = _engine.CreateBatch();
        batch.Put(Column.Meta, KeyLayout.MetaMemberKey(update.MemberId), MemberCodec.Encode(update));
        Write(batch);
        return new Applied(new MemberRecord(update.MemberId, update.Name, update.PeerAddress, update.Removed), [], Revision);
    }

    private Applied ApplyLeaseKeepAlive(long id)
    {
        var ttl = Leases.Renew(id) ?? throw DatastoreException.LeaseNotFound();
        using var batch = _engine.CreateBatch();
        Write(batch);
        return new Applied(new LeaseKeepAliveResult(Revision, id, ttl), [], Revision);
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
        Write(batch);
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
        Write(batch);
        CompactRevision = revision;
        return new Applied(new CompactResult(Revision), [], Revision);
    }

    private void Commit(IStorageBatch batch, TxnExecution execution)
    {
        if (execution.HasWrites)
        {
            batch.Put(Column.Meta, KeyLayout.MetaRevision, KeyLayout.Int64(execution.WriteRevision));
        }

        Write(batch);
        Revision = execution.Revision;
    }

    private static long ReadMeta(IStorageView view, byte[] key) =>
        view.Get(Column.Meta, key) is { } value ? KeyLayout.ReadInt64(value) : 0;
}
