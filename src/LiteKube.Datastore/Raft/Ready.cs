namespace LiteKube.Datastore.Raft;

/// <summary>
/// One batch of work for the host, taken with <see cref="RaftNode.Ready"/> and confirmed with
/// <see cref="RaftNode.Advance"/>. The host must, in this order:
/// <list type="number">
/// <item>install <see cref="Snapshot"/> (if any) into storage and the state machine;</item>
/// <item>append <see cref="Entries"/> and write <see cref="HardState"/> (if any), synced to disk;</item>
/// <item>only then send <see cref="Messages"/>: they may acknowledge entries and votes of step 2;</item>
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

    /// <summary>Whether step 2 must fsync: new entries, a new term or a new vote (a commit index alone need not be synced).</summary>
    public bool MustSync { get; init; }
}
