using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Storage;

namespace LiteKube.Datastore.Replication.Storage;

/// <summary>
/// The Raft log in the datastore's own engine (RocksDB on servers), in the
/// <see cref="Column.RaftLog"/> and <see cref="Column.RaftMeta"/> columns laid out in
/// <see cref="RaftLogLayout"/>. Sharing the MVCC store's database means one write-ahead log and
/// one fsync path for both. Terms of every stored entry, the snapshot, the hard state and the
/// most recent entries are kept in memory, so Raft's hot reads (<see cref="Term"/>, entries for
/// followers that keep up) never touch the disk.
/// </summary>
/// <remarks>
/// Not thread-safe (the host's loop is the only caller). The engine stays the caller's: Dispose
/// does not close it.
/// </remarks>
public sealed class RocksDbRaftLogStore : IRaftLogStore
{
    private const int TailCapacity = 4096;

    private readonly IStorageEngine engine;
    private readonly TermRuns terms;
    private readonly EntryTail tail = new(TailCapacity);
    private HardState hardState;
    private Snapshot snapshot;
    private ulong lastIndex;

    private RocksDbRaftLogStore(IStorageEngine engine, HardState hardState, Snapshot snapshot, TermRuns terms, ulong lastIndex)
    {
        this.engine = engine;
        this.hardState = hardState;
        this.snapshot = snapshot;
        this.terms = terms;
        this.lastIndex = lastIndex;
    }

    /// <summary>
    /// Opens the log in <paramref name="engine"/> (empty if none was ever written: a member that
    /// will join and receive a snapshot). Throws <see cref="DatastoreException"/> (Unavailable)
    /// naming the damage when the stored log or its metadata cannot be read back.
    /// </summary>
    public static RocksDbRaftLogStore Open(IStorageEngine engine) => RaftLogLoader.Load(engine,
        (hardState, snapshot, terms, last) => new RocksDbRaftLogStore(engine, hardState, snapshot, terms, last));

    /// <summary>
    /// Storage for a founding member, as <see cref="MemoryRaftStorage.Bootstrap"/>: a snapshot at
    /// <paramref name="index"/> (1 for a new datastore), term 1, holding the initial membership,
    /// written synced. Refuses an engine that already holds a log (a member must never be
    /// bootstrapped twice). A new cluster over existing data (a restored backup) starts at the
    /// index the data was applied up to, so that none of its entries count as already applied.
    /// </summary>
    public static RocksDbRaftLogStore Bootstrap(IStorageEngine engine, ConfState initial, byte[]? initialData = null, ulong index = 1)
    {
        ArgumentOutOfRangeException.ThrowIfZero(index);
        var store = Open(engine);
        if (!store.IsEmpty)
        {
            throw new InvalidOperationException(
                $"the datastore already holds a Raft log (term {store.hardState.Term}, last index {store.lastIndex}); it cannot be bootstrapped again");
        }
        store.Save(new HardState(1, 0, index), [], new Snapshot(new SnapshotMetadata(index, 1, initial), initialData ?? []), sync: true);
        return store;
    }

    /// <summary>True for a log that was never written (no hard state, snapshot or entry).</summary>
    public bool IsEmpty => hardState.IsEmpty && snapshot.Index == 0 && lastIndex == 0;

    public HardState HardState => hardState;

    public ulong FirstIndex => terms.Offset + 1;

    public ulong LastIndex => lastIndex;

    public (HardState HardState, ConfState ConfState) InitialState() => (hardState, snapshot.Metadata.ConfState);

    public Snapshot Snapshot() => snapshot;

    public ulong Term(ulong index)
    {
        if (index < terms.Offset || index > lastIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} outside [{terms.Offset}, {lastIndex}]");
        }
        return terms.Term(index);
    }

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, int maxEntries)
    {
        if (lo < FirstIndex || hi > lastIndex + 1 || lo > hi)
        {
            throw new ArgumentOutOfRangeException(nameof(lo), $"[{lo}, {hi}) outside [{FirstIndex}, {lastIndex + 1})");
        }
        var count = (int)Math.Min(hi - lo, (ulong)Math.Max(1, maxEntries));
        if (count == 0)
        {
            return [];
        }
        if (tail.TryGet(lo, count) is { } cached)
        {
            return cached;
        }
        return ReadEntries(lo, count);
    }

    private List<Entry> ReadEntries(ulong lo, int count)
    {
        var entries = new List<Entry>(Math.Min(count, 1024));
        using var view = engine.OpenView();
        using var it = view.Iterate(Column.RaftLog, RaftLogLayout.EntryKey(lo), RaftLogLayout.EntryKey(lo + (ulong)count));
        var expected = lo;
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var index = RaftLogLayout.IndexOf(it.Key);
            if (index != expected)
            {
                throw Damaged($"entry {expected} is missing from the log");
            }
            entries.Add(RaftLogLayout.DecodeEntry(index, it.Value));
            expected++;
        }
        return entries.Count == count ? entries : throw Damaged($"entry {expected} is missing from the log");
    }

    public void Save(HardState? state, IReadOnlyList<Entry> entries, Snapshot? newSnapshot, bool sync)
    {
        using var batch = engine.CreateBatch();
        if (newSnapshot is not null && newSnapshot.Index <= snapshot.Index)
        {
            throw new InvalidOperationException($"snapshot {newSnapshot.Index} is not newer than {snapshot.Index}");
        }
        var offset = newSnapshot is null ? terms.Offset : newSnapshot.Index;
        var last = newSnapshot is null ? lastIndex : newSnapshot.Index;
        if (newSnapshot is not null)
        {
            // The snapshot replaces the whole log.
            batch.DeleteRange(Column.RaftLog, RaftLogLayout.EntryKey(0), RaftLogLayout.EntryKey(ulong.MaxValue));
            batch.Put(Column.RaftMeta, RaftLogLayout.SnapshotKey, RaftLogLayout.EncodeSnapshot(newSnapshot));
            batch.Put(Column.RaftMeta, RaftLogLayout.OffsetKey, RaftLogLayout.EncodeOffset(newSnapshot.Index, newSnapshot.Term));
        }
        var fresh = NewEntries(entries, offset, last);
        if (fresh.Count > 0)
        {
            var newLast = fresh[^1].Index;
            if (newLast < last)
            {
                // Entries past the new ones belong to a log the leader has overwritten.
                batch.DeleteRange(Column.RaftLog, RaftLogLayout.EntryKey(newLast + 1), RaftLogLayout.EntryKey(last + 1));
            }
            foreach (var entry in fresh)
            {
                batch.Put(Column.RaftLog, RaftLogLayout.EntryKey(entry.Index), RaftLogLayout.EncodeEntry(entry));
            }
            last = newLast;
        }
        if (state is { } hs)
        {
            batch.Put(Column.RaftMeta, RaftLogLayout.HardStateKey, RaftLogLayout.EncodeHardState(hs));
        }
        engine.Write(batch, sync);

        // Only now, with the batch on disk, does memory follow.
        if (newSnapshot is not null)
        {
            snapshot = newSnapshot;
            terms.Reset(newSnapshot.Index, newSnapshot.Term);
            tail.Clear();
        }
        foreach (var entry in fresh)
        {
            terms.Set(entry.Index, entry.Term);
        }
        tail.Append(fresh);
        lastIndex = last;
        if (state is { } saved)
        {
            hardState = saved;
        }
    }

    /// <summary>The entries that land after <paramref name="offset"/>; throws if they leave a gap
    /// after <paramref name="last"/> or are not consecutive.</summary>
    private static IReadOnlyList<Entry> NewEntries(IReadOnlyList<Entry> entries, ulong offset, ulong last)
    {
        if (entries.Count == 0)
        {
            return entries;
        }
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Index != entries[i - 1].Index + 1)
            {
                throw new ArgumentException($"entries are not consecutive: {entries[i - 1].Index} then {entries[i].Index}", nameof(entries));
            }
        }
        if (entries[0].Index > last + 1)
        {
            throw new InvalidOperationException($"append at {entries[0].Index} leaves a gap after {last}");
        }
        // Entries the snapshot already covers are dropped, not an error (as MemoryRaftStorage).
        var skip = entries[0].Index > offset ? 0UL : offset + 1 - entries[0].Index;
        if (skip >= (ulong)entries.Count)
        {
            return [];
        }
        return skip == 0 ? entries : entries.Skip((int)skip).ToList();
    }

    public Snapshot CreateSnapshot(ulong index, ConfState confState, byte[] data)
    {
        if (index <= snapshot.Index)
        {
            throw new InvalidOperationException($"snapshot {index} is not newer than {snapshot.Index}");
        }
        var created = new Snapshot(new SnapshotMetadata(index, Term(index), confState), data);
        using var batch = engine.CreateBatch();
        batch.Put(Column.RaftMeta, RaftLogLayout.SnapshotKey, RaftLogLayout.EncodeSnapshot(created));
        engine.Write(batch, sync: true);
        snapshot = created;
        return created;
    }

    public void Compact(ulong index)
    {
        if (index <= terms.Offset)
        {
            return;
        }
        if (index > snapshot.Index)
        {
            throw new InvalidOperationException($"compacting to {index} would drop entries the snapshot {snapshot.Index} does not cover");
        }
        using var batch = engine.CreateBatch();
        batch.DeleteRange(Column.RaftLog, RaftLogLayout.EntryKey(0), RaftLogLayout.EntryKey(index + 1));
        batch.Put(Column.RaftMeta, RaftLogLayout.OffsetKey, RaftLogLayout.EncodeOffset(index, terms.Term(index)));
        // Not synced: losing a compaction in a crash only keeps entries that are still valid.
        engine.Write(batch, sync: false);
        terms.CompactTo(index);
        tail.DropThrough(index);
    }

    public void Dispose()
    {
    }

    internal static DatastoreException Damaged(string why) =>
        new(DatastoreError.Unavailable, $"the Raft log is damaged: {why}; restore this member from a snapshot or remove and re-add it");
}
