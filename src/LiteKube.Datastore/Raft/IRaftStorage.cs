namespace LiteKube.Datastore.Raft;

/// <summary>
/// The stable log as the host has persisted it: the latest snapshot plus the entries after it.
/// Raft reads it but never writes it; the host writes it while processing a <see cref="Ready"/>
/// (snapshot first, then entries, then hard state) and only then calls <see cref="RaftNode.Advance"/>.
/// <para>
/// Index ranges: entries exist for [<see cref="FirstIndex"/>, <see cref="LastIndex"/>]; the term is
/// also known for <c>FirstIndex - 1</c> (the snapshot's last entry). Raft only asks inside those
/// bounds, so implementations may throw <see cref="ArgumentOutOfRangeException"/> outside them.
/// Returned lists and snapshots are read-only for the caller. Not thread-safe: the host serialises
/// calls with its own writes.
/// </para>
/// </summary>
public interface IRaftStorage
{
    /// <summary>The persisted hard state and the membership as of the index the host reports as
    /// applied in <see cref="RaftConfig.Applied"/> (usually the snapshot's).</summary>
    (HardState HardState, ConfState ConfState) InitialState();

    /// <summary>Entries in the half-open range [lo, hi), at most <paramref name="maxEntries"/> (at least one if any).</summary>
    IReadOnlyList<Entry> Entries(ulong lo, ulong hi, int maxEntries);

    /// <summary>The term of the entry at <paramref name="index"/>, for FirstIndex - 1 &lt;= index &lt;= LastIndex.</summary>
    ulong Term(ulong index);

    ulong FirstIndex { get; }

    ulong LastIndex { get; }

    /// <summary>The latest snapshot; its index is FirstIndex - 1.</summary>
    Snapshot Snapshot();
}
