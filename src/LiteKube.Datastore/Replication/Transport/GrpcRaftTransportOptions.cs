namespace LiteKube.Datastore.Replication.Transport;

/// <summary>Settings of the gRPC transport on the cluster port.</summary>
public sealed record GrpcRaftTransportOptions
{
    /// <summary>The cluster every call names; calls from another cluster are refused.</summary>
    public required ulong ClusterId { get; init; }

    /// <summary>This member: messages addressed to another id are refused.</summary>
    public required ulong MemberId { get; init; }

    public RaftTransportOptions Limits { get; init; } = new();

    public IRaftChannelFactory Channels { get; init; } = new InsecureRaftChannelFactory();

    /// <summary>Payload bytes per snapshot chunk sent.</summary>
    public int SnapshotChunkBytes { get; init; } = 1 << 20;

    /// <summary>Largest snapshot chunk accepted; larger ones end the call with ResourceExhausted.</summary>
    public int MaxSnapshotChunkBytes { get; init; } = 4 << 20;

    /// <summary>A message batch is written once it reaches this size (a single message may exceed it).</summary>
    public int MaxBatchBytes { get; init; } = 4 << 20;

    /// <summary>Largest gRPC message this member accepts (a batch, or a chunk).</summary>
    public int MaxReceiveMessageBytes { get; init; } = 64 << 20;

    /// <summary>First wait before reconnecting to a peer whose stream failed; doubles up to
    /// <see cref="MaxReconnectDelay"/>. Meanwhile its messages are dropped and reported.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest wait between two attempts. Short, as etcd's 100 ms between stream dials
    /// (rafthttp DialRetryFrequency): a member that just joined starts listening a second or two
    /// after the leader first tries it, and every tenth of a second the leader waits past that
    /// delays its snapshot; an attempt at a peer that is down costs one refused connection.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public void Validate()
    {
        Limits.Validate();
        ArgumentOutOfRangeException.ThrowIfZero(ClusterId, nameof(ClusterId));
        ArgumentOutOfRangeException.ThrowIfZero(MemberId, nameof(MemberId));
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotChunkBytes, 1, nameof(SnapshotChunkBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSnapshotChunkBytes, SnapshotChunkBytes, nameof(MaxSnapshotChunkBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReceiveMessageBytes, MaxSnapshotChunkBytes + 1024, nameof(MaxReceiveMessageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchBytes, 1, nameof(MaxBatchBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReconnectDelay, MinReconnectDelay, nameof(MaxReconnectDelay));
    }
}
