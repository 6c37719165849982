using LiteKube.Datastore.Raft;
using LiteKube.Datastore.Replication;
using LiteKube.Datastore.Replication.Transport;
using Microsoft.Extensions.Time.Testing;

namespace LiteKube.Datastore.Tests.Replication.Transport;

/// <summary>
/// How soon the gRPC transport reaches a peer that was down. A member that joins is added to the
/// leader's configuration a second or two before it listens; the leader's failed attempts must
/// not leave it waiting much past the moment the peer is up (etcd dials again every 100 ms).
/// The back-off runs on the injected clock, so the test steps it by hand.
/// </summary>
public sealed class GrpcReconnectTests : IAsyncLifetime
{
    private readonly GrpcTransportNetwork network = new();
    private readonly FakeTimeProvider time = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await network.DisposeAsync();

    [Fact]
    public async Task A_peer_that_starts_listening_after_many_failed_attempts_is_reached_100_ms_later()
    {
        var senderHandler = new RecordingHandler();
        var sender = await network.StartAsync(new GrpcRaftTransportOptions { ClusterId = GrpcTransportNetwork.ClusterId, MemberId = 1, Time = time },
            senderHandler, new TestSnapshotSource());
        sender.Transport.SetPeer(2, network.UnusedAddress());

        // Long enough down for the back-off to reach its ceiling, whatever the ceiling is.
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            await FailOnceAsync(sender.Transport, senderHandler, attempt);
            if (attempt < 8)
            {
                time.Advance(TimeSpan.FromSeconds(5));
            }
        }

        // The peer comes up right after the last failure.
        var peerHandler = new RecordingHandler();
        var peer = await network.StartAsync(2, peerHandler, new TestSnapshotSource(), new RaftTransportOptions());
        sender.Transport.SetPeer(2, peer.Address);
        time.Advance(TimeSpan.FromMilliseconds(100));

        sender.Transport.Send([Heartbeat(100)]);

        // Nothing advances the clock from here: a sender still in its back-off drops the heartbeat for good.
        await RecordingHandler.WaitUntilAsync(() => peerHandler.Received.Count > 0,
            "the heartbeat sent 100 ms after the peer came up delivered (not dropped by a longer back-off)", seconds: 15);
        Assert.Equal(100UL, peerHandler.Received[0].Message.Commit);
    }

    /// <summary>Sends one heartbeat to the dead peer and waits until the transport reports it unreachable.</summary>
    private static async Task FailOnceAsync(IRaftTransport transport, RecordingHandler handler, int attempt)
    {
        var before = handler.Unreachable.Count;
        transport.Send([Heartbeat((ulong)attempt)]);
        await RecordingHandler.WaitUntilAsync(() => handler.Unreachable.Count > before, $"attempt {attempt} reported unreachable");
    }

    private static Message Heartbeat(ulong commit) => new() { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 3, Commit = commit };
}
