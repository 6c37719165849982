using LiteKube.Datastore.Raft;

namespace LiteKube.Datastore.Replication;

/// <summary>
/// Carries Raft messages between members. Delivery is best effort: messages may be lost,
/// delayed or duplicated (Raft retries), but messages to one peer are never reordered by the
/// transport. One contract suite runs over every implementation (in memory for tests, gRPC on
/// the cluster port for servers).
/// </summary>
public interface IRaftTransport : IAsyncDisposable
{
    /// <summary>Starts delivering incoming messages to <paramref name="handler"/>. Called once.</summary>
    void Start(IRaftMessageHandler handler);

    /// <summary>
    /// Queues messages for their <see cref="Message.To"/> and returns at once, never blocking
    /// the caller's loop. A message for an unknown peer, or beyond a peer's bounded queue, is
    /// dropped and that peer is reported unreachable. A <see cref="MessageType.Snapshot"/>
    /// message travels with the payload that <see cref="ISnapshotSource"/> opens for it;
    /// when that stream ends the handler hears <see cref="IRaftMessageHandler.ReportSnapshot"/>.
    /// </summary>
    void Send(IReadOnlyList<Message> messages);

    /// <summary>Adds or re-addresses a peer ("host:port" of its cluster port).</summary>
    void SetPeer(ulong id, string address);

    void RemovePeer(ulong id);
}

/// <summary>What a transport calls back into; called on transport threads.</summary>
public interface IRaftMessageHandler
{
    /// <summary>A message from a peer. For a <see cref="MessageType.Snapshot"/> message,
    /// <paramref name="snapshotPayload"/> is the path of a file the transport has received in
    /// full (checksum verified); the handler owns it from now on. Otherwise it is null.</summary>
    void Receive(Message message, string? snapshotPayload);

    /// <summary>Sending to <paramref name="id"/> failed (connection refused, queue full).</summary>
    void ReportUnreachable(ulong id);

    /// <summary>A snapshot stream to <paramref name="id"/> ended.</summary>
    void ReportSnapshot(ulong id, bool failed);
}

/// <summary>The sending side of snapshots: the host's state machine as a stream.</summary>
public interface ISnapshotSource
{
    /// <summary>
    /// Opens the state machine's data to send with <paramref name="snapshot"/>. The data may be
    /// newer than the snapshot's index (it records its own applied index, and the receiver
    /// skips entries at or below it, as etcd does), never older. The caller disposes it.
    /// </summary>
    Stream OpenPayload(Snapshot snapshot);
}
