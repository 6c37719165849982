namespace LiteKube.Datastore.Raft;

/// <summary>Messages exchanged between Raft members. Local inputs (ticks, proposals on the
/// leader itself, snapshot reports) are methods on <see cref="RaftNode"/>, not message types.</summary>
public enum MessageType
{
    App,
    AppResp,
    Vote,
    VoteResp,
    PreVote,
    PreVoteResp,
    Heartbeat,
    HeartbeatResp,
    Snapshot,
    /// <summary>A proposal forwarded by a follower to its leader.</summary>
    Prop,
    /// <summary>A read-index request forwarded by a follower to its leader.</summary>
    ReadIndex,
    ReadIndexResp,
    /// <summary>Asks the leader to hand leadership to <see cref="Message.From"/> (etcd's convention:
    /// the sender field names the transferee, so the request can be forwarded unchanged).</summary>
    TransferLeader,
    /// <summary>Tells the transferee to campaign at once, skipping pre-vote and the leader lease.</summary>
    TimeoutNow,
}

public enum EntryType
{
    Normal,
    ConfChange,
}

/// <summary>One log entry. <see cref="Data"/> is owned by the log once proposed: never mutate it.</summary>
public sealed record Entry(ulong Term, ulong Index, EntryType Type, byte[] Data)
{
    public static Entry Empty(ulong term, ulong index) => new(term, index, EntryType.Normal, []);
}

/// <summary>
/// A Raft message. Fields that a type does not use stay at their defaults.
/// <see cref="Index"/>/<see cref="LogTerm"/> are the entry preceding <see cref="Entries"/> for App,
/// the candidate's last entry for votes, and the acknowledged (or rejected) index for AppResp.
/// </summary>
public sealed record Message
{
    public required MessageType Type { get; init; }
    public required ulong From { get; init; }
    public required ulong To { get; init; }
    public ulong Term { get; init; }
    public ulong LogTerm { get; init; }
    public ulong Index { get; init; }
    public IReadOnlyList<Entry> Entries { get; init; } = [];
    public ulong Commit { get; init; }
    public Snapshot? Snapshot { get; init; }
    public bool Reject { get; init; }
    /// <summary>On a rejected AppResp: the follower's best guess of the last index that may match.</summary>
    public ulong RejectHint { get; init; }
    /// <summary>Read-index context, carried through heartbeats and back.</summary>
    public byte[]? Context { get; init; }
    /// <summary>A vote caused by leader transfer: it may disturb a live leader's lease.</summary>
    public bool LeaderTransfer { get; init; }
}

/// <summary>The state that must be on disk before any message of the same Ready is sent.</summary>
public readonly record struct HardState(ulong Term, ulong Vote, ulong Commit)
{
    public bool IsEmpty => Term == 0 && Vote == 0 && Commit == 0;
}

public enum StateRole
{
    Follower,
    PreCandidate,
    Candidate,
    Leader,
}

/// <summary>Volatile state, useful to the host (who leads?) but never persisted.</summary>
public readonly record struct SoftState(ulong Lead, StateRole Role);

/// <summary>A linearizable read point: once the host has applied <see cref="Index"/>, a read for
/// <see cref="Context"/> may be served from local state.</summary>
public sealed record ReadState(ulong Index, byte[] Context);

/// <summary>The membership: voters and learners are disjoint, ids are sorted.</summary>
public sealed record ConfState(IReadOnlyList<ulong> Voters, IReadOnlyList<ulong> Learners)
{
    public static ConfState Empty { get; } = new([], []);

    public bool Equals(ConfState? other) =>
        other is not null && Voters.SequenceEqual(other.Voters) && Learners.SequenceEqual(other.Learners);

    public override int GetHashCode() => HashCode.Combine(Voters.Count, Learners.Count);

    public override string ToString() =>
        $"Voters:[{string.Join(',', Voters)}] Learners:[{string.Join(',', Learners)}]";
}

public sealed record SnapshotMetadata(ulong Index, ulong Term, ConfState ConfState);

/// <summary>The state machine as of <see cref="SnapshotMetadata.Index"/>; <see cref="Data"/> is opaque to Raft.</summary>
public sealed record Snapshot(SnapshotMetadata Metadata, byte[] Data)
{
    public ulong Index => Metadata.Index;
    public ulong Term => Metadata.Term;
}
