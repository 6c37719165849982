using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication;

/// <summary>
/// What a <see cref="RaftHost"/> drives: the replicated state machine and whoever waits on it.
/// Every member is called on the host's loop thread, in log order, and must not block on
/// anything the loop itself has to do.
/// </summary>
public interface IRaftApplication
{
    /// <summary>The last log index whose effect the state machine holds (it records it itself,
    /// so after a restart or a snapshot entries at or below it are skipped).</summary>
    ulong AppliedIndex { get; }

    /// <summary>Replaces the state with a snapshot payload received from the leader (a file the
    /// application may delete afterwards).</summary>
    void Restore(Snapshot snapshot, string payloadPath);

    /// <summary>Applies committed entries (normal and membership ones) in order.</summary>
    void Apply(IReadOnlyList<Entry> entries);

    /// <summary>The membership changed (a membership entry or a snapshot took effect).</summary>
    void MembershipChanged(ConfState membership);

    /// <summary>Makes everything applied so far durable: the host is about to drop log entries.</summary>
    void Sync();

    /// <summary>Linearizable read points the core granted.</summary>
    void ReadStates(IReadOnlyList<ReadState> states);

    /// <summary>The leader or this member's role changed.</summary>
    void RoleChanged(SoftState state);

    /// <summary>One tick passed (after the core's own tick).</summary>
    void Ticked();

    /// <summary>The host stopped after a disk or state machine failure.</summary>
    void Failed(Exception error);
}
