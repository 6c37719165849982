namespace LiteKube.Datastore.Replication.Transport;

/// <summary>Limits shared by every <see cref="IRaftTransport"/>.</summary>
public sealed record RaftTransportOptions
{
    /// <summary>Messages queued per peer before <see cref="IRaftTransport.Send"/> starts dropping
    /// (etcd's stream buffer is 4096 too): a slow peer costs memory up to this, never a blocked loop.</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>Most messages one write to a peer carries; batching is what makes many clients cheap.</summary>
    public int MaxBatchMessages { get; init; } = 512;

    /// <summary>Where received snapshot payloads are spooled (<c>snap-*.tmp</c>, renamed when whole).
    /// The handler owns each finished file.</summary>
    public string SnapshotDirectory { get; init; } = Path.GetTempPath();

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchMessages, 1, nameof(MaxBatchMessages));
        ArgumentException.ThrowIfNullOrWhiteSpace(SnapshotDirectory, nameof(SnapshotDirectory));
    }
}
