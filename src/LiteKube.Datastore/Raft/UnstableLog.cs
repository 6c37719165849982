namespace LiteKube.Datastore.Raft;

/// <summary>
/// Entries (and possibly a snapshot) that Raft holds but the host has not yet persisted. They
/// leave this buffer only when the host confirms them through <see cref="RaftNode.Advance"/>.
/// Entries start at <see cref="Offset"/>; stable storage is authoritative below it.
/// </summary>
internal sealed class UnstableLog
{
    private readonly List<Entry> entries = [];

    public UnstableLog(ulong offset) => Offset = offset;

    public Snapshot? Snapshot { get; private set; }

    public ulong Offset { get; private set; }

    public IReadOnlyList<Entry> Entries => entries;

    /// <summary>The first index known only here: an incoming snapshot replaces everything before it.</summary>
    public ulong? MaybeFirstIndex() => Snapshot is null ? null : Snapshot.Index + 1;

    public ulong? MaybeLastIndex()
    {
        if (entries.Count > 0)
        {
            return Offset + (ulong)entries.Count - 1;
        }
        return Snapshot?.Index;
    }

    public ulong? MaybeTerm(ulong index)
    {
        if (index < Offset)
        {
            return Snapshot is not null && Snapshot.Index == index ? Snapshot.Term : null;
        }
        var last = MaybeLastIndex();
        if (last is null || index > last)
        {
            return null;
        }
        return entries[(int)(index - Offset)].Term;
    }

    /// <summary>The host persisted entries up to (index, term). If that entry was replaced meanwhile,
    /// the newer entry is not yet on disk and must stay.</summary>
    public void StableTo(ulong index, ulong term)
    {
        if (index < Offset || entries.Count == 0 || MaybeTerm(index) != term)
        {
            return;
        }
        var count = (int)(index + 1 - Offset);
        entries.RemoveRange(0, count);
        Offset = index + 1;
    }

    public void StableSnapTo(ulong index)
    {
        if (Snapshot is not null && Snapshot.Index == index)
        {
            Snapshot = null;
        }
    }

    public void Restore(Snapshot snapshot)
    {
        Offset = snapshot.Index + 1;
        entries.Clear();
        Snapshot = snapshot;
    }

    public void TruncateAndAppend(IReadOnlyList<Entry> incoming)
    {
        var from = incoming[0].Index;
        if (from == Offset + (ulong)entries.Count)
        {
            entries.AddRange(incoming);
        }
        else if (from <= Offset)
        {
            // Replaces everything unstable, and stable storage from `from` on (the host's append overwrites it).
            Offset = from;
            entries.Clear();
            entries.AddRange(incoming);
        }
        else
        {
            entries.RemoveRange((int)(from - Offset), entries.Count - (int)(from - Offset));
            entries.AddRange(incoming);
        }
    }

    /// <summary>Entries in [lo, hi), which must lie within this buffer.</summary>
    public IEnumerable<Entry> Slice(ulong lo, ulong hi)
    {
        if (lo < Offset || hi > Offset + (ulong)entries.Count || lo > hi)
        {
            throw new InvalidOperationException($"unstable slice [{lo}, {hi}) out of [{Offset}, {Offset + (ulong)entries.Count})");
        }
        return entries.Skip((int)(lo - Offset)).Take((int)(hi - lo));
    }
}
