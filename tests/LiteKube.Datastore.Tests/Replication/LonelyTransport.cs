using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;

namespace LiteKube.Datastore.Tests.Replication;

/// <summary>The transport of a member alone in its cluster: it has no peer, so anything sent
/// is a bug and fails the test loudly.</summary>
public sealed class LonelyTransport : IRaftTransport
{
    public void Start(IRaftMessageHandler handler)
    {
    }

    public void Send(IReadOnlyList<Message> messages) =>
        throw new InvalidOperationException($"a lone member sent {messages.Count} messages (first: {messages[0].Type} to {messages[0].To})");

    public void SetPeer(ulong id, string address) =>
        throw new InvalidOperationException($"a lone member was given peer {id:x} at {address}");

    public void RemovePeer(ulong id)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
