namespace LiteKube.Datastore.Raft;

/// <summary>
/// The log as Raft sees it: stable storage with the unstable buffer laid over it, plus the commit
/// and applied indexes. Invariant: applied &lt;= committed &lt;= last index.
/// </summary>
internal sealed class RaftLog
{
    private readonly IRaftStorage storage;
    private readonly int maxCommittedPerReady;

    public RaftLog(IRaftStorage storage, int maxCommittedPerReady)
    {
        this.storage = storage;
        this.maxCommittedPerReady = maxCommittedPerReady;
        Unstable = new UnstableLog(storage.LastIndex + 1);
        // The snapshot's index is committed and applied by definition.
        Committed = storage.FirstIndex - 1;
        Applied = storage.FirstIndex - 1;
    }

    public UnstableLog Unstable { get; }

    public ulong Committed { get; private set; }

    public ulong Applied { get; private set; }

    public ulong FirstIndex => Unstable.MaybeFirstIndex() ?? storage.FirstIndex;

    public ulong LastIndex => Unstable.MaybeLastIndex() ?? storage.LastIndex;

    public ulong LastTerm => TermOrZero(LastIndex);

    /// <summary>The last index that is on disk and still part of this log (the leader's own
    /// acknowledgement): stable entries at or above the unstable offset are being overwritten.</summary>
    public ulong PersistedLastIndex =>
        Unstable.Snapshot is not null ? 0
        : Unstable.Entries.Count > 0 ? Unstable.Offset - 1
        : storage.LastIndex;

    public bool TryTerm(ulong index, out ulong term)
    {
        term = 0;
        // The term is known for the entry before the first one (the snapshot's).
        if (index + 1 < FirstIndex || index > LastIndex)
        {
            return false;
        }
        if (Unstable.MaybeTerm(index) is { } t)
        {
            term = t;
            return true;
        }
        if (index + 1 < storage.FirstIndex || index > storage.LastIndex)
        {
            return false;
        }
        term = storage.Term(index);
        return true;
    }

    public ulong TermOrZero(ulong index) => TryTerm(index, out var term) ? term : 0;

    public bool MatchTerm(ulong index, ulong term) => TryTerm(index, out var t) && t == term;

    /// <summary>A candidate's log is at least as up to date as ours (Raft §5.4.1).</summary>
    public bool IsUpToDate(ulong lastIndex, ulong term) =>
        term > LastTerm || (term == LastTerm && lastIndex >= LastIndex);

    /// <summary>Follower side of AppendEntries: on a match at (index, logTerm) append and commit;
    /// returns the index of the last new entry, or null when the prefix does not match.</summary>
    public ulong? MaybeAppend(ulong index, ulong logTerm, ulong committed, IReadOnlyList<Entry> entries)
    {
        if (!MatchTerm(index, logTerm))
        {
            return null;
        }
        var lastNew = index + (ulong)entries.Count;
        var conflict = FindConflict(entries);
        if (conflict != 0)
        {
            if (conflict <= Committed)
            {
                throw new InvalidOperationException($"entry {conflict} conflicts with committed entry (committed {Committed})");
            }
            Append(entries.Skip((int)(conflict - (index + 1))).ToList());
        }
        CommitTo(Math.Min(committed, lastNew));
        return lastNew;
    }

    public ulong Append(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0)
        {
            return LastIndex;
        }
        if (entries[0].Index - 1 < Committed)
        {
            throw new InvalidOperationException($"append after {entries[0].Index - 1} would overwrite committed {Committed}");
        }
        Unstable.TruncateAndAppend(entries);
        return LastIndex;
    }

    /// <summary>The first entry whose index exists with a different term, or the first new entry; 0 if all are present.</summary>
    private ulong FindConflict(IReadOnlyList<Entry> entries)
    {
        foreach (var e in entries)
        {
            if (!MatchTerm(e.Index, e.Term))
            {
                return e.Index;
            }
        }
        return 0;
    }

    /// <summary>
    /// The largest index &lt;= <paramref name="index"/> whose term is &lt;= <paramref name="term"/>, with that term.
    /// Used on both sides of a rejected append to skip a whole term of divergent entries per round trip.
    /// </summary>
    public (ulong Index, ulong Term) FindConflictByTerm(ulong index, ulong term)
    {
        for (; index > 0; index--)
        {
            if (!TryTerm(index, out var ours))
            {
                return (index, 0);
            }
            if (ours <= term)
            {
                return (index, ours);
            }
        }
        return (0, 0);
    }

    public void CommitTo(ulong commit)
    {
        if (commit <= Committed)
        {
            return;
        }
        if (commit > LastIndex)
        {
            throw new InvalidOperationException($"commit {commit} is beyond the last index {LastIndex}");
        }
        Committed = commit;
    }

    /// <summary>Leader rule (Raft §5.4.2): only an entry of the current term is committed by counting replicas.</summary>
    public bool MaybeCommit(ulong index, ulong term)
    {
        if (index > Committed && TermOrZero(index) == term)
        {
            CommitTo(index);
            return true;
        }
        return false;
    }

    public void AppliedTo(ulong index)
    {
        if (index > Committed)
        {
            throw new InvalidOperationException($"applied {index} beyond committed {Committed}");
        }
        Applied = Math.Max(Applied, index);
    }

    /// <summary>Entries in [lo, hi), at most <paramref name="max"/>; false if lo is compacted.</summary>
    public bool TrySlice(ulong lo, ulong hi, int max, out List<Entry> result)
    {
        result = [];
        if (lo < FirstIndex)
        {
            return false;
        }
        hi = Math.Min(hi, LastIndex + 1);
        if (lo >= hi)
        {
            return true;
        }
        var stableHi = Math.Min(hi, Unstable.Offset);
        if (lo < stableHi)
        {
            result.AddRange(storage.Entries(lo, stableHi, max));
            if (result.Count < max && (ulong)result.Count == stableHi - lo && hi > stableHi)
            {
                result.AddRange(Unstable.Slice(stableHi, hi).Take(max - result.Count));
            }
        }
        else
        {
            result.AddRange(Unstable.Slice(lo, hi).Take(max));
        }
        return true;
    }

    public bool HasNextCommittedEntries => Unstable.Snapshot is null && Committed > Applied;

    public List<Entry> NextCommittedEntries()
    {
        if (!HasNextCommittedEntries)
        {
            return [];
        }
        if (!TrySlice(Applied + 1, Committed + 1, maxCommittedPerReady, out var list))
        {
            throw new InvalidOperationException($"committed entries from {Applied + 1} were compacted before being applied");
        }
        return list;
    }

    public Snapshot Snapshot() => Unstable.Snapshot ?? storage.Snapshot();

    public void Restore(Snapshot snapshot)
    {
        Committed = snapshot.Index;
        Unstable.Restore(snapshot);
    }

    /// <summary>The snapshot was installed by the host: its state is applied.</summary>
    public void SnapshotApplied(ulong index)
    {
        Unstable.StableSnapTo(index);
        Applied = Math.Max(Applied, index);
    }
}
