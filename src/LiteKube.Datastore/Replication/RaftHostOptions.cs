namespace LiteKube.Datastore.Replication;

/// <summary>Timing and log-retention settings of one <see cref="RaftHost"/>.</summary>
public sealed record RaftHostOptions
{
    /// <summary>This member's id: non-zero and never used by another member.</summary>
    public required ulong Id { get; init; }

    /// <summary>Drives ticks (and nothing else); tests may run it faster or by hand.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>One tick; the heartbeat is one tick (etcd: 100 ms).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The election timeout in ticks (1,000 ms by default), randomised by Raft in [n, 2n).</summary>
    public int ElectionTicks { get; init; } = 10;

    public int HeartbeatTicks { get; init; } = 1;

    /// <summary>Applied entries between two Raft snapshots (each compacts the log).</summary>
    public ulong SnapshotEntries { get; init; } = 10_000;

    /// <summary>Entries kept behind a snapshot, so that a slightly slow follower catches up from
    /// the log rather than with a whole snapshot.</summary>
    public ulong KeptEntries { get; init; } = 5_000;

    /// <summary>Seeds election jitter (null: random).</summary>
    public int? Seed { get; init; }
}
