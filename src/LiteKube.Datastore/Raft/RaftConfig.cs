namespace LiteKube.Datastore.Raft;

/// <summary>Static settings of one <see cref="RaftNode"/>. Times are in ticks; the host decides how long a tick is.</summary>
public sealed record RaftConfig
{
    /// <summary>This member's id: non-zero, never reused for another member.</summary>
    public required ulong Id { get; init; }

    public required IRaftStorage Storage { get; init; }

    /// <summary>The source of election-timeout jitter; seeded in tests so runs replay exactly.</summary>
    public required Random Random { get; init; }

    /// <summary>Ticks without hearing from a leader before a follower campaigns (randomised in [n, 2n)).</summary>
    public int ElectionTick { get; init; } = 10;

    public int HeartbeatTick { get; init; } = 1;

    /// <summary>The highest index the host's state machine had applied when this node was created.</summary>
    public ulong Applied { get; init; }

    /// <summary>Append messages in flight per follower before the leader waits for acknowledgements.</summary>
    public int MaxInflightMessages { get; init; } = 256;

    public int MaxEntriesPerMessage { get; init; } = 64;

    public int MaxCommittedEntriesPerReady { get; init; } = 1024;

    internal void Validate()
    {
        if (Id == 0)
        {
            throw new ArgumentException("the member id must not be 0 (0 means \"none\")", nameof(Id));
        }
        if (HeartbeatTick <= 0 || ElectionTick <= HeartbeatTick)
        {
            throw new ArgumentException($"need 0 < HeartbeatTick ({HeartbeatTick}) < ElectionTick ({ElectionTick})");
        }
        if (MaxEntriesPerMessage <= 0 || MaxCommittedEntriesPerReady <= 0)
        {
            throw new ArgumentException("message and Ready sizes must be positive");
        }
    }
}
