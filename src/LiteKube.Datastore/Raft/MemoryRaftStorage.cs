using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.Raft;

/// <summary>
/// <see cref="IRaftStorage"/> in memory, for tests and simulations. The "disk" is this object: a
/// simulated crash keeps it and loses the <see cref="RaftNode"/>.
/// </summary>
public sealed class MemoryRaftStorage : IRaftLogStore
{
    private HardState hardState;
    private Snapshot snapshot;
    // entries[0] is never stored data: it is a placeholder carrying the snapshot's index and term,
    // so that Term(FirstIndex - 1) needs no special case.
    private readonly List<Entry> entries;

    public MemoryRaftStorage()
        : this(new Snapshot(new SnapshotMetadata(0, 0, ConfState.Empty), []))
    {
    }

    private MemoryRaftStorage(Snapshot snapshot)
    {
        this.snapshot = snapshot;
        entries = [Entry.Empty(snapshot.Term, snapshot.Index)];
    }

    /// <summary>
    /// Storage for a founding member: a snapshot at index 1, term 1 that holds the initial
    /// membership. Members that join later start empty and receive this (or a later) snapshot from
    /// the leader, which is how they learn the configuration that precedes their own addition.
    /// </summary>
    public static MemoryRaftStorage Bootstrap(ConfState initial, byte[]? initialData = null) =>
        new(new Snapshot(new SnapshotMetadata(1, 1, initial), initialData ?? [])) { hardState = new HardState(1, 0, 1) };

    public HardState HardState => hardState;

    public (HardState HardState, ConfState ConfState) InitialState() => (hardState, snapshot.Metadata.ConfState);

    public ulong FirstIndex => entries[0].Index + 1;

    public ulong LastIndex => entries[0].Index + (ulong)entries.Count - 1;

    public Snapshot Snapshot() => snapshot;

    public ulong Term(ulong index)
    {
        var offset = entries[0].Index;
        if (index < offset || index > LastIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} outside [{offset}, {LastIndex}]");
        }
        return entries[(int)(index - offset)].Term;
    }

    public IReadOnlyList<Entry> Entries(ulong lo, ulong hi, int maxEntries)
    {
        if (lo < FirstIndex || hi > LastIndex + 1 || lo > hi)
        {
            throw new ArgumentOutOfRangeException(nameof(lo), $"[{lo}, {hi}) outside [{FirstIndex}, {LastIndex + 1})");
        }
        var count = (int)Math.Min(hi - lo, (ulong)Math.Max(1, maxEntries));
        return entries.GetRange((int)(lo - entries[0].Index), count);
    }

    public void SetHardState(HardState state) => hardState = state;

    /// <summary>Everything is "synced" at once: the simulation decides what a crash loses.</summary>
    public void Save(HardState? state, IReadOnlyList<Entry> incoming, Snapshot? newSnapshot, bool sync)
    {
        if (newSnapshot is not null)
        {
            ApplySnapshot(newSnapshot);
        }
        Append(incoming);
        if (state is { } hs)
        {
            hardState = hs;
        }
    }

    public void Dispose()
    {
    }

    /// <summary>Replaces the whole log with <paramref name="incoming"/> (a snapshot from the leader).</summary>
    public void ApplySnapshot(Snapshot incoming)
    {
        if (incoming.Index <= snapshot.Index)
        {
            throw new InvalidOperationException($"snapshot {incoming.Index} is not newer than {snapshot.Index}");
        }
        snapshot = incoming;
        entries.Clear();
        entries.Add(Entry.Empty(incoming.Term, incoming.Index));
    }

    /// <summary>Records a snapshot of the host's state machine at <paramref name="index"/> (&lt;= applied)
    /// without dropping entries; call <see cref="Compact"/> to drop them.</summary>
    public Snapshot CreateSnapshot(ulong index, ConfState confState, byte[] data)
    {
        if (index <= snapshot.Index)
        {
            throw new InvalidOperationException($"snapshot {index} is not newer than {snapshot.Index}");
        }
        snapshot = new Snapshot(new SnapshotMetadata(index, Term(index), confState), data);
        return snapshot;
    }

    /// <summary>Drops entries up to and including <paramref name="compactIndex"/>, which must be covered by the snapshot.</summary>
    public void Compact(ulong compactIndex)
    {
        var offset = entries[0].Index;
        if (compactIndex <= offset)
        {
            return;
        }
        if (compactIndex > snapshot.Index)
        {
            throw new InvalidOperationException($"compacting to {compactIndex} would drop entries the snapshot {snapshot.Index} does not cover");
        }
        var drop = (int)(compactIndex - offset);
        var placeholder = Entry.Empty(entries[drop].Term, entries[drop].Index);
        entries.RemoveRange(0, drop + 1);
        entries.Insert(0, placeholder);
    }

    /// <summary>Appends entries, replacing any stored entries at the same or later indexes.</summary>
    public void Append(IReadOnlyList<Entry> incoming)
    {
        if (incoming.Count == 0)
        {
            return;
        }
        var first = incoming[0].Index;
        if (first > LastIndex + 1)
        {
            throw new InvalidOperationException($"append at {first} leaves a gap after {LastIndex}");
        }
        var skip = 0;
        // Entries already covered by the snapshot are dropped, not an error: the host may persist a
        // Ready's entries after a newer snapshot arrived.
        while (skip < incoming.Count && incoming[skip].Index < FirstIndex)
        {
            skip++;
        }
        if (skip == incoming.Count)
        {
            return;
        }
        var keep = (int)(incoming[skip].Index - entries[0].Index);
        entries.RemoveRange(keep, entries.Count - keep);
        for (var i = skip; i < incoming.Count; i++)
        {
            entries.Add(incoming[i]);
        }
    }
}
