namespace LiteKube.Datastore.Mvcc;

public sealed record LocalStoreOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long a watch with ProgressNotify may stay quiet before it gets an empty
    /// batch (etcd: 10 minutes).</summary>
    public TimeSpan ProgressNotifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often expired leases are looked for.</summary>
    public TimeSpan LeaseCheckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest write accepted, keys and values together (etcd: --max-request-bytes,
    /// 1.5 MiB): one object must never make a sync, a snapshot chunk or a log entry huge.</summary>
    public int MaxRequestBytes { get; init; } = 1536 * 1024;

    /// <summary>Commands applied together before one sync (group commit).</summary>
    public int MaxGroupSize { get; init; } = 512;
}
