namespace LiteKube.Datastore.Replication;

/// <summary>Settings of a <see cref="ReplicatedStore"/>.</summary>
public sealed record ReplicatedStoreOptions
{
    public required RaftHostOptions Raft { get; init; }

    /// <summary>This member's name and peer address ("host:port" of its cluster port), as
    /// member lists show them.</summary>
    public string Name { get; init; } = "";

    public string PeerAddress { get; init; } = "";

    /// <summary>The founding members (static bootstrap): id, name, peer address. The first
    /// leader records them in the replicated state.</summary>
    public IReadOnlyList<(ulong Id, string Name, string PeerAddress)> InitialMembers { get; init; } = [];

    /// <summary>Drives lease expiry and watch progress notifications (not Raft's ticks).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public TimeSpan ProgressNotifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan LeaseCheckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest write accepted (etcd: --max-request-bytes, 1.5 MiB).</summary>
    public int MaxRequestBytes { get; init; } = 1536 * 1024;

    /// <summary>How long a write or a linearizable read waits for a leader and for the cluster
    /// before it fails with Unavailable (measured on <see cref="RaftHostOptions.Time"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(7);
}
