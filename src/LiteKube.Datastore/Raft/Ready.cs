namespace LiteKube.Datastore.Raft;

/// <summary>
/// One batch of work for the host, taken with <see cref="RaftNode.Ready"/> and confirmed with
/// <see cref="RaftNode.Advance"/>. The host must, in this order:
/// <list type="number">
/// <item>install <see cref="Snapshot"/> (if any) into storage and the state machine;</item>
/// <item>append <see cref="Entries"/> and write <see cref="HardState"/> (if any), synced to disk;</item>
/// <item>only then send <see cref="Messages"/>: they may acknowledge entries and votes of step 2
/// (unless <see cref="MessagesMayPrecedeWrite"/>: then they may be sent before step 2);</item>
/// <item>apply <see cref="CommittedEntries"/> in order (they may include entries of step 2);</item>
/// <item>call <see cref="RaftNode.Advance"/>.</item>
/// </list>
/// A crash before Advance must be treated as if this Ready had never been produced.
/// </summary>
public sealed record Ready
{
    public SoftState? SoftState { get; init; }

    public HardState? HardState { get; init; }

    public IReadOnlyList<ReadState> ReadStates { get; init; } = [];

    public IReadOnlyList<Entry> Entries { get; init; } = [];

    public Snapshot? Snapshot { get; init; }

    public IReadOnlyList<Entry> CommittedEntries { get; init; } = [];

    public IReadOnlyList<Message> Messages { get; init; } = [];

    /// <summary>
    /// A leader whose term and vote are already on disk may send its messages before its own
    /// write of step 2, overlapping its fsync with the followers' (Raft thesis §10.2.1; etcd's
    /// server does the same): a leader's messages acknowledge nothing, and it counts its own
    /// entries towards commit only in <see cref="RaftNode.Advance"/>, after the write. False for
    /// a Ready that changes the term or vote (a member that has just become leader alone, with
    /// learners, must not send in a term it could forget) or installs a snapshot.
    /// </summary>
    public bool MessagesMayPrecedeWrite { get; init; }

    /// <summary>Whether step 2 must fsync: new entries, a new term or a new vote (a commit index alone need not be synced).</summary>
    public bool MustSync { get; init; }
}
